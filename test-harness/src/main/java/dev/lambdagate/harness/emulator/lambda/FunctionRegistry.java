package dev.lambdagate.harness.emulator.lambda;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions one Lambda emulator knows, by name. Thread-safe: tests may register functions while
 * invocations are running.
 */
public final class FunctionRegistry {

  private final Map<String, FunctionDefinition> byName = new ConcurrentHashMap<>();

  /** Adds a function, replacing any with the same name. */
  public void register(FunctionDefinition function) {
    byName.put(function.name(), function);
  }

  /** The function with this name, if any. */
  public Optional<FunctionDefinition> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The registered names, sorted. */
  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }
}
