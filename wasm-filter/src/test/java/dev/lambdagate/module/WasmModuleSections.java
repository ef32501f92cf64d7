package dev.lambdagate.module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the import and export sections of a WebAssembly binary (enough for the import gate). */
final class WasmModuleSections {
  /** One import or export: module ("" for exports), name, and kind (0 func, 2 memory, ...). */
  record Entry(String module, String name, int kind) {
    @Override
    public String toString() {
      return (module.isEmpty() ? "" : module + ".") + name + "(kind " + kind + ")";
    }
  }

  final List<Entry> imports = new ArrayList<>();
  final List<Entry> exports = new ArrayList<>();

  private final byte[] data;
  private int pos;

  private WasmModuleSections(byte[] data) {
    this.data = data;
  }

  static WasmModuleSections read(Path wasm) throws IOException {
    WasmModuleSections sections = new WasmModuleSections(Files.readAllBytes(wasm));
    sections.parse();
    return sections;
  }

  private void parse() {
    if (data.length < 8 || data[0] != 0 || data[1] != 'a' || data[2] != 's' || data[3] != 'm') {
      throw new IllegalArgumentException("not a WebAssembly binary");
    }
    pos = 8;
    while (pos < data.length) {
      int id = data[pos++] & 0xff;
      int size = (int) uleb();
      int end = pos + size;
      if (id == 2) {
        long count = uleb();
        for (long i = 0; i < count; i++) {
          String module = name();
          String field = name();
          int kind = data[pos++] & 0xff;
          skipImportDescriptor(kind);
          imports.add(new Entry(module, field, kind));
        }
      } else if (id == 7) {
        long count = uleb();
        for (long i = 0; i < count; i++) {
          String field = name();
          int kind = data[pos++] & 0xff;
          uleb();
          exports.add(new Entry("", field, kind));
        }
      }
      pos = end;
    }
  }

  private void skipImportDescriptor(int kind) {
    switch (kind) {
      case 0 -> uleb(); // function type index
      case 1 -> { // table: element type + limits
        pos++;
        limits();
      }
      case 2 -> limits(); // memory
      case 3 -> pos += 2; // global: value type + mutability
      default -> throw new IllegalArgumentException("unknown import kind " + kind);
    }
  }

  private void limits() {
    int flags = data[pos++] & 0xff;
    uleb();
    if ((flags & 1) != 0) {
      uleb();
    }
  }

  private String name() {
    int length = (int) uleb();
    String s = new String(data, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  private long uleb() {
    long result = 0;
    int shift = 0;
    while (true) {
      int b = data[pos++] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }
}
