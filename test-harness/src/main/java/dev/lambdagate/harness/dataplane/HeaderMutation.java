package dev.lambdagate.harness.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code request_headers_to_add} / {@code request_headers_to_remove} of one level (route
 * configuration, virtual host, route or weighted cluster), applied by the router as Envoy does:
 * removals first, then additions ({@code append: false} or {@code OVERWRITE_IF_EXISTS_OR_ADD}
 * replaces, {@code ADD_IF_ABSENT} only adds a missing header).
 */
public record HeaderMutation(List<Add> add, List<String> remove) {
  public static final HeaderMutation NONE = new HeaderMutation(List.of(), List.of());

  /** One header to add. */
  public record Add(String name, String value, Mode mode) {}

  /** What to do when the header exists. */
  public enum Mode {
    APPEND,
    OVERWRITE,
    ADD_IF_ABSENT,
    OVERWRITE_IF_EXISTS
  }

  public HeaderMutation {
    add = List.copyOf(add);
    List<String> lower = new ArrayList<>();
    for (String r : remove) {
      lower.add(r.toLowerCase(Locale.ROOT));
    }
    remove = List.copyOf(lower);
  }

  /** Applies this mutation to a header list of lower-case names (pseudo headers included). */
  public void applyTo(List<String[]> headers) {
    for (String name : remove) {
      if (!name.startsWith(":") && !name.equals("host")) {
        headers.removeIf(h -> h[0].equals(name));
      }
    }
    for (Add a : add) {
      String name = a.name().toLowerCase(Locale.ROOT);
      boolean present = headers.stream().anyMatch(h -> h[0].equals(name));
      switch (a.mode()) {
        case APPEND -> headers.add(new String[] {name, a.value()});
        case OVERWRITE -> {
          headers.removeIf(h -> h[0].equals(name));
          headers.add(new String[] {name, a.value()});
        }
        case ADD_IF_ABSENT -> {
          if (!present) {
            headers.add(new String[] {name, a.value()});
          }
        }
        case OVERWRITE_IF_EXISTS -> {
          if (present) {
            headers.removeIf(h -> h[0].equals(name));
            headers.add(new String[] {name, a.value()});
          }
        }
        default -> throw new IllegalStateException();
      }
    }
  }
}
