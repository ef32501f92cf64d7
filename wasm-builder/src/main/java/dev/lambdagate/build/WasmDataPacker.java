package dev.lambdagate.build;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the runs of zero bytes from a module's active data segments, which TeaVM writes as one
 * segment spanning its whole static area (class tables, strings, static fields, mostly zeros).
 *
 * <p>Linear memory starts zero-filled, so a run of zeros in an active segment writes nothing that
 * is not already there: splitting the segment around each run of at least {@link #MIN_RUN} zero
 * bytes leaves memory exactly as before at instantiation, in a module about 130 KB smaller. This is
 * what Binaryen's {@code memory-packing} pass does; it is done here so the build needs no tool
 * beyond the JDK. Only segments of the form {@code (flags 0, i32.const N)} are split; any other
 * segment is copied as it is, as is every other section. A DataCount section is rewritten to the
 * new number of segments.
 */
final class WasmDataPacker {
  /** A zero run shorter than this costs less than the segment header that splitting adds. */
  static final int MIN_RUN = 16;

  private static final int SECTION_DATA = 11;
  private static final int SECTION_DATA_COUNT = 12;

  private WasmDataPacker() {}

  static byte[] pack(byte[] module) {
    if (module.length < 8
        || module[0] != 0
        || module[1] != 'a'
        || module[2] != 's'
        || module[3] != 'm') {
      throw new IllegalArgumentException("not a WebAssembly module");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(module.length);
    out.write(module, 0, 8);
    int[] pos = {8};
    byte[] data = null;
    int dataCountAt = -1;
    List<byte[]> sections = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    int segmentCount = -1;
    while (pos[0] < module.length) {
      int id = module[pos[0]++] & 0xff;
      int size = (int) readU32(module, pos);
      byte[] body = new byte[size];
      System.arraycopy(module, pos[0], body, 0, size);
      pos[0] += size;
      if (id == SECTION_DATA) {
        List<byte[]> segments = new ArrayList<>();
        body = packData(body, segments);
        segmentCount = segments.size();
      }
      if (id == SECTION_DATA_COUNT) {
        dataCountAt = sections.size();
      }
      ids.add(id);
      sections.add(body);
    }
    if (dataCountAt >= 0 && segmentCount >= 0) {
      ByteArrayOutputStream count = new ByteArrayOutputStream();
      writeU32(count, segmentCount);
      sections.set(dataCountAt, count.toByteArray());
    }
    for (int i = 0; i < sections.size(); i++) {
      out.write(ids.get(i));
      writeU32(out, sections.get(i).length);
      out.write(sections.get(i), 0, sections.get(i).length);
    }
    return out.toByteArray();
  }

  private static byte[] packData(byte[] body, List<byte[]> segmentsOut) {
    int[] pos = {0};
    long count = readU32(body, pos);
    for (long s = 0; s < count; s++) {
      int start = pos[0];
      int flags = (int) readU32(body, pos);
      if (flags == 0 && (body[pos[0]] & 0xff) == 0x41) { // i32.const
        pos[0]++;
        int offset = (int) readS32(body, pos);
        if ((body[pos[0]++] & 0xff) != 0x0b) {
          throw new IllegalArgumentException("unexpected data segment offset expression");
        }
        int length = (int) readU32(body, pos);
        int from = pos[0];
        pos[0] += length;
        split(body, from, length, offset, segmentsOut);
      } else {
        // Passive or other forms: skip over it unchanged.
        if (flags == 1) {
          int length = (int) readU32(body, pos);
          pos[0] += length;
        } else {
          if (flags == 2) {
            readU32(body, pos);
          }
          while ((body[pos[0]++] & 0xff) != 0x0b) {
            // constant expression of a single instruction and its immediates: scan to `end`
          }
          int length = (int) readU32(body, pos);
          pos[0] += length;
        }
        byte[] copy = new byte[pos[0] - start];
        System.arraycopy(body, start, copy, 0, copy.length);
        segmentsOut.add(copy);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    writeU32(out, segmentsOut.size());
    for (byte[] segment : segmentsOut) {
      out.write(segment, 0, segment.length);
    }
    return out.toByteArray();
  }

  /** Appends one active segment per stretch of {@code bytes} between long zero runs. */
  private static void split(byte[] bytes, int from, int length, int offset, List<byte[]> out) {
    int end = from + length;
    int i = from;
    while (i < end) {
      while (i < end && bytes[i] == 0) {
        i++;
      }
      if (i == end) {
        break;
      }
      int start = i;
      int lastNonZero = i;
      while (i < end) {
        if (bytes[i] != 0) {
          lastNonZero = i;
        } else if (i - lastNonZero >= MIN_RUN) {
          break;
        }
        i++;
      }
      int stop = lastNonZero + 1;
      ByteArrayOutputStream segment = new ByteArrayOutputStream(stop - start + 12);
      segment.write(0);
      segment.write(0x41);
      writeS32(segment, offset + (start - from));
      segment.write(0x0b);
      writeU32(segment, stop - start);
      segment.write(bytes, start, stop - start);
      out.add(segment.toByteArray());
    }
  }

  private static long readU32(byte[] b, int[] pos) {
    long result = 0;
    int shift = 0;
    while (true) {
      int x = b[pos[0]++] & 0xff;
      result |= (long) (x & 0x7f) << shift;
      shift += 7;
      if (x < 0x80) {
        return result;
      }
    }
  }

  private static long readS32(byte[] b, int[] pos) {
    long result = 0;
    int shift = 0;
    int x;
    do {
      x = b[pos[0]++] & 0xff;
      result |= (long) (x & 0x7f) << shift;
      shift += 7;
    } while (x >= 0x80);
    if (shift < 64 && (x & 0x40) != 0) {
      result |= -1L << shift;
    }
    return (int) result;
  }

  private static void writeU32(ByteArrayOutputStream out, long value) {
    do {
      int x = (int) (value & 0x7f);
      value >>>= 7;
      out.write(value != 0 ? x | 0x80 : x);
    } while (value != 0);
  }

  private static void writeS32(ByteArrayOutputStream out, int value) {
    long v = value;
    while (true) {
      int x = (int) (v & 0x7f);
      v >>= 7;
      boolean done = (v == 0 && (x & 0x40) == 0) || (v == -1 && (x & 0x40) != 0);
      out.write(done ? x : x | 0x80);
      if (done) {
        return;
      }
    }
  }
}
