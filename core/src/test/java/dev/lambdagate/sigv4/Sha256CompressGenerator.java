package dev.lambdagate.sigv4;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes {@code Sha256.compress}, the SHA-256 compression function (FIPS 180-4, 6.2.2) unrolled as
 * that method's Javadoc explains: the 16 schedule words in locals, the first 16 rounds with their
 * constants inline, then a loop of three passes of 16 rounds, each round's schedule word computed
 * in place. The working variables a..h are never moved: round {@code i} uses them rotated by {@code
 * i % 8}.
 *
 * <p>Run from the wasm-filter directory to rewrite the method in place: {@code java -cp
 * target/test-classes dev.lambdagate.sigv4.Sha256CompressGenerator} ({@code --check} only
 * compares). {@link Sha256CompressGeneratorTest} fails when the committed method differs from this
 * program's output, so a change goes here, not into the generated code.
 */
public final class Sha256CompressGenerator {
  static final Path SOURCE = Paths.get("src/main/java/dev/lambdagate/sigv4/Sha256.java");
  static final String START = "  private void compress(byte[] block, int off) {\n";
  static final String END = "\n  }\n";

  private static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
  };

  private Sha256CompressGenerator() {}

  public static void main(String[] args) throws IOException {
    String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
    String current = committedMethod(source);
    String generated = compressMethod();
    if (args.length > 0 && args[0].equals("--check")) {
      System.out.println(current.equals(generated) ? "up to date" : "differs");
      System.exit(current.equals(generated) ? 0 : 1);
    }
    Files.writeString(SOURCE, source.replace(current, generated), StandardCharsets.UTF_8);
  }

  /** The method as committed in {@code source}, from its signature to its closing brace. */
  static String committedMethod(String source) {
    int start = source.indexOf(START);
    if (start < 0) {
      throw new IllegalStateException("no compress method in Sha256.java");
    }
    int end = source.indexOf(END, start);
    return source.substring(start, end + END.length());
  }

  /** The whole method, signature to closing brace, as it belongs in Sha256.java. */
  static String compressMethod() {
    StringBuilder out = new StringBuilder(START);
    out.append("    if (off < 0 || off > block.length - BLOCK) {\n");
    out.append("      throw new IndexOutOfBoundsException();\n");
    out.append("    }\n");
    for (int i = 0; i < 16; i++) {
      int b = 4 * i;
      out.append("    int w")
          .append(i)
          .append(" = (block[off + ")
          .append(b)
          .append("] << 24) | ((block[off + ")
          .append(b + 1)
          .append("] & 0xff) << 16)\n")
          .append("        | ((block[off + ")
          .append(b + 2)
          .append("] & 0xff) << 8) | (block[off + ")
          .append(b + 3)
          .append("] & 0xff);\n");
    }
    for (char v = 'a'; v <= 'h'; v++) {
      out.append("    int ").append(v).append(" = h").append(v - 'a').append(";\n");
    }
    out.append("    int t1;\n");
    for (int i = 0; i < 16; i++) {
      round(out, "    ", i, String.format("0x%08x", K[i]));
    }
    out.append("    int[] k = K;\n");
    out.append("    for (int t = 16; t < 64; t += 16) {\n");
    for (int i = 0; i < 16; i++) {
      String w = "w" + i;
      out.append("      ")
          .append(w)
          .append(" += ")
          .append(smallSigma1("w" + (i + 14) % 16))
          .append("\n          + w")
          .append((i + 9) % 16)
          .append(" + ")
          .append(smallSigma0("w" + (i + 1) % 16))
          .append(";\n");
      round(out, "      ", i, i == 0 ? "k[t]" : "k[t + " + i + "]");
    }
    out.append("    }\n");
    for (int i = 0; i < 8; i++) {
      out.append("    h").append(i).append(" += ").append((char) ('a' + i)).append(";\n");
    }
    out.setLength(out.length() - 1);
    return out.append(END).toString();
  }

  /** Round {@code i} (mod 16) of a pass: T1 into the fourth variable, T1 + T2 into the last. */
  private static void round(StringBuilder out, String indent, int i, String constant) {
    String a = var(i, 0);
    String b = var(i, 1);
    String c = var(i, 2);
    String d = var(i, 3);
    String e = var(i, 4);
    String f = var(i, 5);
    String g = var(i, 6);
    String h = var(i, 7);
    out.append(indent)
        .append("t1 = ")
        .append(h)
        .append(" + ")
        .append(bigSigma(e, 6, 11, 25))
        .append('\n')
        .append(indent)
        .append("    + ((")
        .append(e)
        .append(" & ")
        .append(f)
        .append(") ^ (~")
        .append(e)
        .append(" & ")
        .append(g)
        .append(")) + ")
        .append(constant)
        .append(" + w")
        .append(i)
        .append(";\n");
    out.append(indent).append(d).append(" += t1;\n");
    out.append(indent)
        .append(h)
        .append(" = t1 + ")
        .append(bigSigma(a, 2, 13, 22))
        .append('\n')
        .append(indent)
        .append("    + ((")
        .append(a)
        .append(" & ")
        .append(b)
        .append(") ^ (")
        .append(a)
        .append(" & ")
        .append(c)
        .append(") ^ (")
        .append(b)
        .append(" & ")
        .append(c)
        .append("));\n");
  }

  /** The name that working variable {@code j} (0 = a) has in round {@code round}. */
  private static String var(int round, int j) {
    return String.valueOf((char) ('a' + Math.floorMod(j - round, 8)));
  }

  private static String bigSigma(String x, int r1, int r2, int r3) {
    return "(" + rotr(x, r1) + " ^ " + rotr(x, r2) + " ^ " + rotr(x, r3) + ")";
  }

  private static String smallSigma0(String x) {
    return "(" + rotr(x, 7) + " ^ " + rotr(x, 18) + " ^ (" + x + " >>> 3))";
  }

  private static String smallSigma1(String x) {
    return "(" + rotr(x, 17) + " ^ " + rotr(x, 19) + " ^ (" + x + " >>> 10))";
  }

  private static String rotr(String x, int n) {
    return "((" + x + " >>> " + n + ") | (" + x + " << " + (32 - n) + "))";
  }
}
