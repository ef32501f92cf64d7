package dev.lambdagate.harness.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Runs one {@code @FuzzTest} method under Jazzer's stand-alone driver, for as long as the command
 * line says ({@code -max_total_time}): what {@code fuzz/run.sh} (behind {@code make fuzz} and the
 * short fuzzing in {@code make test}) launches once per target. Jazzer's JUnit mode cannot do this:
 * it fuzzes one test per JVM and only for the annotation's fixed {@code maxDuration}.
 *
 * <p>The target is named by {@code --target_args="<class> <method>"}. A {@code byte[]} method gets
 * the raw input, a {@code FuzzedDataProvider} method the provider over it: exactly what JUnit
 * replays from a file in {@code <Class>Inputs/<method>/}, so a finding's file becomes a regression
 * input as it is. Not thread-safe; Jazzer calls it from one thread.
 */
public final class FuzzTestLauncher {
  private static Object instance;
  private static Method target;
  private static boolean rawBytes;

  private FuzzTestLauncher() {}

  /** Jazzer's initialisation hook: resolves the target from {@code --target_args}. */
  public static void fuzzerInitialize(String[] args) throws ReflectiveOperationException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "--target_args must be \"<fuzz test class> <method>\", got " + args.length + " words");
    }
    Class<?> type = Class.forName(args[0]);
    for (Method m : type.getDeclaredMethods()) {
      if (m.getName().equals(args[1]) && m.isAnnotationPresent(FuzzTest.class)) {
        target = m;
      }
    }
    if (target == null) {
      throw new IllegalArgumentException("no @FuzzTest " + args[1] + " in " + args[0]);
    }
    Class<?>[] parameters = target.getParameterTypes();
    rawBytes = parameters.length == 1 && parameters[0] == byte[].class;
    if (!rawBytes && !(parameters.length == 1 && parameters[0] == FuzzedDataProvider.class)) {
      throw new IllegalArgumentException(args[1] + " must take byte[] or FuzzedDataProvider");
    }
    target.setAccessible(true);
    Constructor<?> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    instance = constructor.newInstance();
    // AssertJ initialises lazily and slowly under instrumentation: do it now, not inside the
    // first input, whose time counts against -timeout.
    org.assertj.core.api.Assertions.assertThat("warm").isNotEmpty().doesNotContain("\r");
  }

  /** Jazzer's per-input hook: one call of the target; its own exceptions are the findings. */
  public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Throwable {
    try {
      target.invoke(instance, rawBytes ? data.consumeRemainingAsBytes() : data);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
