package dev.lambdagate.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teavm.asm.ClassReader;
import org.teavm.asm.Opcodes;
import org.teavm.asm.tree.AbstractInsnNode;
import org.teavm.asm.tree.ClassNode;
import org.teavm.asm.tree.LdcInsnNode;
import org.teavm.asm.tree.MethodNode;
import org.teavm.asm.tree.analysis.Analyzer;
import org.teavm.asm.tree.analysis.BasicValue;
import org.teavm.asm.tree.analysis.BasicVerifier;
import org.teavm.asm.tree.analysis.Frame;

/**
 * The heap-growth patch on teavm-core 0.13.1's real GC class (outcome: V8/Chicory payload tests).
 */
class GcHeapGrowthPatchTest {
  private static final ClassLoader LOADER = GcHeapGrowthPatchTest.class.getClassLoader();

  @Test
  void addsMinChunkSizeToTheRequestedSizeAndNothingElse() throws Exception {
    byte[] original = GcHeapGrowthPatch.originalClass(LOADER);
    MethodNode before = method(original);
    MethodNode after = method(GcHeapGrowthPatch.patch(original));

    List<AbstractInsnNode> was = GcHeapGrowthPatch.realInstructions(before.instructions);
    List<AbstractInsnNode> is = GcHeapGrowthPatch.realInstructions(after.instructions);
    assertThat(is).hasSize(was.size() + 2);
    for (int i = 0; i < was.size() - 1; i++) {
      assertThat(is.get(i).getOpcode()).as("instruction %d", i).isEqualTo(was.get(i).getOpcode());
    }
    // ... availableBytes() + size, then + 8L, then return.
    AbstractInsnNode constant = is.get(is.size() - 3);
    assertThat(constant.getOpcode()).isEqualTo(Opcodes.LDC);
    assertThat(((LdcInsnNode) constant).cst).isEqualTo(8L);
    assertThat(is.get(is.size() - 2).getOpcode()).isEqualTo(Opcodes.LADD);
    assertThat(is.get(is.size() - 1).getOpcode()).isEqualTo(Opcodes.LRETURN);
  }

  @Test
  void patchedMethodPassesBytecodeVerification() throws Exception {
    byte[] patched = GcHeapGrowthPatch.patch(GcHeapGrowthPatch.originalClass(LOADER));
    // ASM's verifier checks stack heights and operand types of the changed method: a long
    // constant added to a long, and a long returned.
    Frame<BasicValue>[] frames =
        new Analyzer<>(new BasicVerifier()).analyze(GcHeapGrowthPatch.GC_CLASS, method(patched));
    assertThat(frames).isNotEmpty();
  }

  @Test
  void aMethodOfAnotherShapeFailsTheBuildInsteadOfBeingPatched() throws Exception {
    byte[] onceAlready = GcHeapGrowthPatch.patch(GcHeapGrowthPatch.originalClass(LOADER));
    assertThatThrownBy(() -> GcHeapGrowthPatch.patch(onceAlready))
        .isInstanceOf(GcHeapGrowthPatch.ShapeMismatch.class)
        .hasMessageContaining("computeMinRequestedSize has opcodes")
        .hasMessageContaining("TeaVM 0.13.1");
    byte[] notGc = readClass(LOADER, "org/teavm/runtime/Allocator.class");
    assertThatThrownBy(() -> GcHeapGrowthPatch.patch(notGc))
        .isInstanceOf(GcHeapGrowthPatch.ShapeMismatch.class);
  }

  @Test
  void theCompilerClassLoaderServesThePatchedClass(@TempDir Path dir) throws Exception {
    ClassLoader compilerLoader = GcHeapGrowthPatch.classLoader(LOADER, dir);
    byte[] seen = readClass(compilerLoader, GcHeapGrowthPatch.GC_RESOURCE);
    assertThat(seen).isEqualTo(GcHeapGrowthPatch.patch(GcHeapGrowthPatch.originalClass(LOADER)));
    assertThat(
            java.util.Collections.list(compilerLoader.getResources(GcHeapGrowthPatch.GC_RESOURCE)))
        .hasSize(1);
    // Everything else still comes from the build class path.
    assertThat(compilerLoader.getResource("org/teavm/runtime/Allocator.class")).isNotNull();
  }

  private static MethodNode method(byte[] classBytes) {
    ClassNode node = new ClassNode();
    new ClassReader(classBytes).accept(node, 0);
    return node.methods.stream()
        .filter(
            m ->
                m.name.equals(GcHeapGrowthPatch.METHOD)
                    && m.desc.equals(GcHeapGrowthPatch.DESCRIPTOR))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] readClass(ClassLoader loader, String resource) throws Exception {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
