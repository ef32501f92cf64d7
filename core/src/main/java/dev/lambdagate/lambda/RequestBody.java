package dev.lambdagate.lambda;

/**
 * A request body that event builders read piece by piece, so that a body left in the host's buffer
 * never has to be copied whole into the module: only the event it becomes is.
 *
 * <p>Implementations say their own thread-safety; {@link #of} is immutable over a caller's array.
 */
public interface RequestBody {

  /** The body of a request without one. */
  RequestBody EMPTY = of(new byte[0]);

  /** The body's length in bytes. */
  int length();

  /**
   * Copies {@code length} bytes of the body from {@code start} into {@code dst} at {@code offset}.
   */
  void read(int start, byte[] dst, int offset, int length);

  /** A body held in memory; the array is not copied. */
  static RequestBody of(byte[] bytes) {
    return new RequestBody() {
      @Override
      public int length() {
        return bytes.length;
      }

      @Override
      public void read(int start, byte[] dst, int offset, int length) {
        System.arraycopy(bytes, start, dst, offset, length);
      }
    };
  }
}
