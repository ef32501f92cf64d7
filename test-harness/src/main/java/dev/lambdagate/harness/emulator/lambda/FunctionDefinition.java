package dev.lambdagate.harness.emulator.lambda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named function with its versions and aliases. Every function has versions {@code $LATEST} and
 * {@code 1} (both run the same handler; only {@code X-Amz-Executed-Version} differs); aliases point
 * at one of those.
 *
 * <p>Immutable and thread-safe (provided the handler is).
 *
 * @param name function name, 1-64 characters of {@code [a-zA-Z0-9-_]}
 * @param handler the code
 * @param aliases alias name to version
 */
public record FunctionDefinition(String name, LambdaFunction handler, Map<String, String> aliases) {

  /** The unpublished version every function has. */
  public static final String LATEST = "$LATEST";

  /** The one published version every function has. */
  public static final String PUBLISHED_VERSION = "1";

  private static final Set<String> VERSIONS = Set.of(LATEST, PUBLISHED_VERSION);
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-_]{1,64}");

  public FunctionDefinition {
    Objects.requireNonNull(handler, "handler");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "function name must be 1-64 characters of [a-zA-Z0-9-_]: " + name);
    }
    aliases.forEach(
        (alias, version) -> {
          if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException(
                "alias " + alias + " must point at $LATEST or 1, not " + version);
          }
        });
    aliases = Map.copyOf(aliases);
  }

  /** A function without aliases. */
  public static FunctionDefinition of(String name, LambdaFunction handler) {
    return new FunctionDefinition(name, handler, Map.of());
  }

  /** This function with one more alias. */
  public FunctionDefinition withAlias(String alias, String version) {
    Map<String, String> more = new LinkedHashMap<>(aliases);
    more.put(alias, version);
    return new FunctionDefinition(name, handler, more);
  }

  /**
   * The version a qualifier runs: null means {@code $LATEST}; a version runs itself; an alias runs
   * its target. Empty when the qualifier names nothing.
   */
  public Optional<String> resolve(String qualifier) {
    if (qualifier == null) {
      return Optional.of(LATEST);
    }
    if (VERSIONS.contains(qualifier)) {
      return Optional.of(qualifier);
    }
    return Optional.ofNullable(aliases.get(qualifier));
  }
}
