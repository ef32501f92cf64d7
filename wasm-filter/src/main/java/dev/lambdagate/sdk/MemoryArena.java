package dev.lambdagate.sdk;

import dev.lambdagate.json.Utf8;
import org.teavm.interop.Address;

/**
 * The only memory whose address the filter hands to the host: a bump arena inside one byte array.
 *
 * <p>TeaVM's garbage collector lives in linear memory and moves objects when it compacts, and it
 * runs only when Java code allocates. An address given to the host therefore stays valid exactly as
 * long as no Java allocation happens. Every host call follows one discipline:
 *
 * <ol>
 *   <li>{@link #begin} sizes the arena (the only step that may allocate) and resets it;
 *   <li>{@link #put}/{@link #reserve} place arguments and out-parameter slots: no allocation;
 *   <li>the host call runs; if the host asks for memory ({@link #allocateForHost}) it gets it from
 *       the arena, and never a fresh Java object;
 *   <li>results are read back by index ({@link #readInt}, {@link #copyOut}), which stays correct
 *       even if copying out allocates and the GC then moves the array.
 * </ol>
 *
 * When the host asks for more than is left, it gets {@code 0} (the host call then fails) and the
 * size is remembered; the caller grows the arena with {@link #begin} and repeats the call once.
 *
 * <p>The arena grows to the largest request seen (a 6 MB Lambda payload, say) and keeps that size,
 * so linear memory stays flat under steady traffic. Not thread-safe: a Wasm VM is single-threaded.
 */
public final class MemoryArena {
  private static final int INITIAL_CAPACITY = 64 * 1024;

  /** Room kept for the host's own allocations beyond what the caller asked for. */
  private static final int HOST_HEADROOM = 16 * 1024;

  private static byte[] arena = new byte[INITIAL_CAPACITY];
  private static int used;
  private static int deniedSize;

  private MemoryArena() {}

  /** Resets the arena and makes sure {@code bytes} plus headroom fit; may allocate. */
  public static void begin(int bytes) {
    long needed = (long) bytes + HOST_HEADROOM;
    if (needed > arena.length) {
      long grown = Math.max(needed, (long) arena.length * 2);
      arena = new byte[(int) Math.min(grown, Integer.MAX_VALUE - 64)];
    }
    used = 0;
    deniedSize = 0;
  }

  /** The size the host last asked for and did not get, or 0. */
  public static int deniedSize() {
    return deniedSize;
  }

  /** Current capacity, for tests of memory behaviour. */
  public static int capacity() {
    return arena.length;
  }

  /** proxy_on_memory_allocate: never allocates a Java object. */
  public static int allocateForHost(int size) {
    if (size < 0 || size > arena.length - used) {
      if (size > deniedSize) {
        deniedSize = size;
      }
      return 0;
    }
    return base() + take(size);
  }

  /** Copies {@code data} into the arena and returns its address. */
  public static int put(byte[] data) {
    int index = take(data.length);
    System.arraycopy(data, 0, arena, index, data.length);
    return base() + index;
  }

  /** Copies {@code length} bytes of {@code data} into the arena and returns the address. */
  public static int put(byte[] data, int offset, int length) {
    int index = take(length);
    System.arraycopy(data, offset, arena, index, length);
    return base() + index;
  }

  /**
   * Writes {@code text} as UTF-8 into the arena and returns its address; the length is {@link
   * Utf8#encodedLength}. No allocation: header names and values go to the host without a byte array
   * of their own.
   */
  public static int putUtf8(String text, int encodedLength) {
    int index = take(encodedLength);
    Utf8.encodeInto(text, arena, index);
    return base() + index;
  }

  /**
   * The arena itself, to read host-written bytes in place (from {@link #indexOf}) until the next
   * {@link #begin}; the caller must not call the host meanwhile. Allocating while reading is safe:
   * the GC may move the array, but the reference and indices stay valid.
   */
  public static byte[] bytes() {
    return arena;
  }

  /** The index in {@link #bytes} of {@code length} host-written bytes at {@code address}. */
  public static int indexOf(int address, int length) {
    int index = address - base();
    if (index < 0 || length < 0 || index + length > arena.length) {
      throw new IllegalStateException("host returned memory outside the arena");
    }
    return index;
  }

  /** Reserves zeroed room for out-parameters and returns its address. */
  public static int reserve(int size) {
    int index = take(size);
    for (int i = 0; i < size; i++) {
      arena[index + i] = 0;
    }
    return base() + index;
  }

  public static int readInt(int address) {
    int i = address - base();
    return (arena[i] & 0xff)
        | (arena[i + 1] & 0xff) << 8
        | (arena[i + 2] & 0xff) << 16
        | (arena[i + 3] & 0xff) << 24;
  }

  public static long readLong(int address) {
    return (readInt(address) & 0xffffffffL) | ((long) readInt(address + 4)) << 32;
  }

  /** Copies host-written bytes out of the arena into a new array. */
  public static byte[] copyOut(int address, int length) {
    if (length == 0) {
      return EMPTY;
    }
    int index = address - base();
    if (index < 0 || index + length > arena.length) {
      throw new IllegalStateException("host returned memory outside the arena");
    }
    byte[] copy = new byte[length];
    // Index-based: still right if allocating 'copy' made the GC move the arena.
    System.arraycopy(arena, index, copy, 0, length);
    return copy;
  }

  /**
   * Copies host-written bytes out of the arena into {@code dst} at {@code offset}; no allocation.
   */
  public static void copyOut(int address, byte[] dst, int offset, int length) {
    int index = address - base();
    if (index < 0 || index + length > arena.length) {
      throw new IllegalStateException("host returned memory outside the arena");
    }
    System.arraycopy(arena, index, dst, offset, length);
  }

  private static final byte[] EMPTY = new byte[0];

  private static int take(int size) {
    if (size > arena.length - used) {
      throw new IllegalStateException("arena overflow: begin() was sized too small");
    }
    int index = used;
    used += (size + 7) & ~7;
    if (used > arena.length) {
      used = arena.length;
    }
    return index;
  }

  private static int base() {
    return Address.ofData(arena).toInt();
  }
}
