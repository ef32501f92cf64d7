package dev.lambdagate.build;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.teavm.asm.ClassReader;
import org.teavm.asm.ClassWriter;
import org.teavm.asm.Opcodes;
import org.teavm.asm.tree.AbstractInsnNode;
import org.teavm.asm.tree.ClassNode;
import org.teavm.asm.tree.FieldNode;
import org.teavm.asm.tree.InsnList;
import org.teavm.asm.tree.InsnNode;
import org.teavm.asm.tree.LdcInsnNode;
import org.teavm.asm.tree.MethodNode;

/**
 * Build-time fix of TeaVM 0.13.1's heap growth, applied to the bytecode TeaVM compiles into the
 * module (nothing of TeaVM's source is copied into this project).
 *
 * <p>{@code org.teavm.runtime.GC.computeMinRequestedSize(int)} returns {@code availableBytes() +
 * size - lastFreeChunk}: the heap grows by exactly the shortfall, rounded to 8 bytes. When the
 * shortfall is 4 mod 8, the last free chunk ends up {@code size + 4} bytes, which the allocator
 * refuses (a chunk is taken only if it is exactly {@code size} or at least {@code size +
 * MIN_CHUNK_SIZE}), so the allocation traps {@code Out of memory} although the heap could grow. The
 * patch adds {@code MIN_CHUNK_SIZE} to the result, so the grown chunk always fits (see
 * /work/shared/reference/platform-notes.md, "TeaVM 0.13.1 heap growth"). TeaVM removed this backend
 * in 0.14, so upstream will not fix it.
 *
 * <p>The patch checks the method's exact instruction sequence first and fails the build if it
 * differs (a TeaVM upgrade must be looked at, not patched blindly). The patched class goes into a
 * directory that {@link #classLoader} puts ahead of {@code teavm-core} for resource lookups, which
 * is how TeaVM reads the classes it compiles.
 */
public final class GcHeapGrowthPatch {
  static final String GC_CLASS = "org/teavm/runtime/GC";
  static final String GC_RESOURCE = GC_CLASS + ".class";
  static final String METHOD = "computeMinRequestedSize";
  static final String DESCRIPTOR = "(I)J";

  /**
   * The opcodes of the method as TeaVM 0.13.1 compiles it: {@code if (lastChunk.classReference ==
   * 0) size -= lastChunk.size; return availableBytes() + size;}.
   */
  static final int[] EXPECTED_OPCODES = {
    Opcodes.GETSTATIC,
    Opcodes.GETFIELD,
    Opcodes.IFNE,
    Opcodes.ILOAD,
    Opcodes.GETSTATIC,
    Opcodes.GETFIELD,
    Opcodes.ISUB,
    Opcodes.ISTORE,
    Opcodes.INVOKESTATIC,
    Opcodes.ILOAD,
    Opcodes.I2L,
    Opcodes.LADD,
    Opcodes.LRETURN
  };

  private GcHeapGrowthPatch() {}

  /** Thrown when TeaVM's GC is not the code the patch was written for. */
  public static final class ShapeMismatch extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ShapeMismatch(String message) {
      super(
          "lambdagate: cannot patch TeaVM's heap growth: "
              + message
              + ". The patch in "
              + GcHeapGrowthPatch.class.getName()
              + " was written for TeaVM 0.13.1; check the new"
              + " GC.computeMinRequestedSize before building.");
    }
  }

  /** TeaVM's GC class bytes as {@code loader} finds them (teavm-core on the build class path). */
  public static byte[] originalClass(ClassLoader loader) throws IOException {
    try (InputStream in = loader.getResourceAsStream(GC_RESOURCE)) {
      if (in == null) {
        throw new ShapeMismatch(GC_RESOURCE + " is not on the class path");
      }
      return in.readAllBytes();
    }
  }

  /**
   * Returns {@code gcClass} with {@code MIN_CHUNK_SIZE} added to the result of {@code
   * computeMinRequestedSize}.
   *
   * @throws ShapeMismatch when the class or method is not the expected code
   */
  public static byte[] patch(byte[] gcClass) {
    ClassNode node = new ClassNode();
    new ClassReader(gcClass).accept(node, 0);
    long minChunkSize = minChunkSize(node);
    MethodNode method = null;
    for (MethodNode m : node.methods) {
      if (m.name.equals(METHOD) && m.desc.equals(DESCRIPTOR)) {
        method = m;
      }
    }
    if (method == null) {
      throw new ShapeMismatch("no method " + METHOD + DESCRIPTOR + " in " + GC_CLASS);
    }
    List<AbstractInsnNode> code = realInstructions(method.instructions);
    int[] opcodes = new int[code.size()];
    for (int i = 0; i < opcodes.length; i++) {
      opcodes[i] = code.get(i).getOpcode();
    }
    if (!java.util.Arrays.equals(opcodes, EXPECTED_OPCODES)) {
      throw new ShapeMismatch(
          METHOD
              + " has opcodes "
              + java.util.Arrays.toString(opcodes)
              + ", expected "
              + java.util.Arrays.toString(EXPECTED_OPCODES));
    }
    AbstractInsnNode lreturn = code.get(code.size() - 1);
    InsnList add = new InsnList();
    add.add(new LdcInsnNode(minChunkSize));
    add.add(new InsnNode(Opcodes.LADD));
    method.instructions.insertBefore(lreturn, add);
    method.maxStack = Math.max(method.maxStack, 4);
    // The change adds no branch: the existing stack map frames stay valid, so no class
    // hierarchy is needed to recompute them.
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return writer.toByteArray();
  }

  /** The method's instructions without labels, line numbers and frames. */
  static List<AbstractInsnNode> realInstructions(InsnList instructions) {
    List<AbstractInsnNode> real = new ArrayList<>();
    for (AbstractInsnNode insn = instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn.getOpcode() >= 0) {
        real.add(insn);
      }
    }
    return real;
  }

  private static long minChunkSize(ClassNode node) {
    for (FieldNode field : node.fields) {
      if (field.name.equals("MIN_CHUNK_SIZE") && field.value instanceof Integer) {
        return (Integer) field.value;
      }
    }
    throw new ShapeMismatch("no constant MIN_CHUNK_SIZE in " + GC_CLASS);
  }

  /**
   * Writes the patched GC class under {@code directory} and returns a class loader that finds it
   * before teavm-core's original (resources only: TeaVM reads bytecode, it never runs GC on the
   * JVM); everything else comes from {@code parent}.
   */
  public static ClassLoader classLoader(ClassLoader parent, Path directory) throws IOException {
    byte[] patched = patch(originalClass(parent));
    Path file = directory.resolve(GC_RESOURCE);
    Files.createDirectories(file.getParent());
    Files.write(file, patched);
    return new PatchFirstClassLoader(directory.toUri().toURL(), parent);
  }

  /** Resources in the patch directory replace the parent's; classes come from the parent. */
  private static final class PatchFirstClassLoader extends URLClassLoader {
    PatchFirstClassLoader(URL patchDirectory, ClassLoader parent) {
      super(new URL[] {patchDirectory}, parent);
    }

    @Override
    public URL getResource(String name) {
      URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      // Only the patched copy: a reader that took any but the first would otherwise still
      // find teavm-core's original.
      List<URL> own = Collections.list(findResources(name));
      return own.isEmpty() ? getParent().getResources(name) : Collections.enumeration(own);
    }
  }
}
