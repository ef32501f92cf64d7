package dev.lambdagate.controlplane.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Whether a route's regular expression can go to Envoy as {@code safe_regex} (RE2), checked before
 * anything compiles it: Envoy rejects the whole route table, which every route of a listener
 * shares, for one regular expression it refuses, and Envoy's documentation leaves that check to the
 * management server.
 *
 * <p>Three checks, cheapest first:
 *
 * <ol>
 *   <li><b>Repetition</b>, RE2's own rule: no count above 1000, and no product of nested counts
 *       above 1000 ({@code ((a{100}){100})} is refused). Checked on the text, before compiling:
 *       re2j, unlike RE2, expands such repetitions and would run out of memory on them.
 *   <li><b>Size</b>: an estimate of the compiled program, every atom counted once per copy the
 *       repetitions around it make, a character class by its ranges, a Unicode class as {@value
 *       #UNICODE_CLASS_COST}. It errs high for the common cases ({@code /[a-zA-Z0-9._-]{1,64}}: 641
 *       here, 324 in RE2), and must stay under {@value #MAX_ESTIMATED_SIZE}. The bootstraps this
 *       project writes raise Envoy's {@code re2.max_program_size.error_level} from its default of
 *       100 to {@value #ENVOY_PROGRAM_SIZE_LIMIT}, so that margin covers where it errs low.
 *   <li><b>Syntax</b>, by re2j (the Java port of RE2): lookarounds and backreferences, which Java's
 *       regular expressions accept, are not RE2.
 * </ol>
 *
 * Stateless and thread-safe.
 */
public final class RegexCheck {
  /** RE2's largest repetition count, alone or as the product of nested ones. */
  static final int MAX_REPEAT = 1000;

  /** The largest estimated program a route may carry. */
  public static final int MAX_ESTIMATED_SIZE = 1000;

  /** {@code re2.max_program_size.error_level} in the Envoy bootstraps of this project. */
  public static final int ENVOY_PROGRAM_SIZE_LIMIT = 10_000;

  /** Instructions every RE2 program has besides its atoms (start, match, failure). */
  static final int PROGRAM_OVERHEAD = 4;

  /** A Unicode class ({@code \pL}) counted as this many instructions. */
  static final int UNICODE_CLASS_COST = 400;

  /** What may stand between a repetition's braces: {@code n}, {@code n,} or {@code n,m}. */
  private static final Pattern REPEAT_BOUNDS = Pattern.compile("[0-9]{1,9}(,[0-9]{0,9})?");

  private RegexCheck() {}

  /** Why {@code regex} cannot be sent, or null when it can. */
  public static String problem(String regex) {
    if (regex == null || regex.isEmpty()) {
      return "is empty";
    }
    String shown = regex.length() > 100 ? regex.substring(0, 100) + "..." : regex;
    String estimate = new Estimate(regex).run();
    if (estimate != null) {
      return "\"" + shown + "\" " + estimate;
    }
    try {
      com.google.re2j.Pattern.compile(regex);
      return null;
    } catch (com.google.re2j.PatternSyntaxException e) {
      return "\"" + shown + "\" is not valid RE2 (" + e.getDescription() + ")";
    }
  }

  /** The estimated program size (tests); -1 when a repetition is refused before the end. */
  static long estimatedSize(String regex) {
    Estimate e = new Estimate(regex);
    e.run();
    return e.refusedRepeat ? -1 : e.size;
  }

  /** One pass over the text: repetition products and the size estimate. */
  private static final class Estimate {
    /** A group being read: its size so far, and its last atom (what a quantifier repeats). */
    private static final class Group {
      long size;
      long lastAtomSize;
      long lastAtomProduct = 1;
      long maxProduct = 1;
    }

    private final String s;
    private int i;
    long size;
    boolean refusedRepeat;

    Estimate(String s) {
      this.s = s;
    }

    /** Null when the expression passes, else why not (then {@link #size} may be partial). */
    String run() {
      Deque<Group> groups = new ArrayDeque<>();
      Group g = new Group();
      while (i < s.length()) {
        char c = s.charAt(i);
        switch (c) {
          case '\\' -> atom(g, escape(), 1);
          case '[' -> atom(g, charClass(), 1);
          case '(' -> {
            i++;
            skipGroupPrefix();
            groups.push(g);
            g = new Group();
          }
          case ')' -> {
            i++;
            if (groups.isEmpty()) {
              return null; // unbalanced: re2j says so
            }
            Group inner = g;
            g = groups.pop();
            atom(g, inner.size, inner.maxProduct);
          }
          case '|' -> {
            i++;
            g.size += 1;
            g.lastAtomSize = 0;
          }
          case '*', '+', '?' -> {
            i++;
            g.size += 1;
          }
          case '{' -> {
            String why = repeat(g);
            if (why != null) {
              refusedRepeat = true;
              return why;
            }
          }
          case '.' -> {
            i++;
            atom(g, 4, 1); // any character: several UTF-8 branches
          }
          default -> {
            i++;
            atom(g, 1, 1);
          }
        }
        if (g.size > MAX_ESTIMATED_SIZE * 10L) {
          break; // far over already: stop counting
        }
      }
      while (!groups.isEmpty()) {
        Group inner = g;
        g = groups.pop();
        g.size += inner.size;
      }
      size = PROGRAM_OVERHEAD + g.size;
      if (size > MAX_ESTIMATED_SIZE) {
        return "is too large for Envoy's RE2 (estimated program size "
            + size
            + ", at most "
            + MAX_ESTIMATED_SIZE
            + "; simplify it or split it over several matches)";
      }
      return null;
    }

    private void atom(Group g, long cost, long product) {
      g.size += cost;
      g.lastAtomSize = cost;
      g.lastAtomProduct = product;
    }

    /** {n}, {n,} or {n,m} after an atom; a brace that is not one is a literal. */
    private String repeat(Group g) {
      int close = s.indexOf('}', i);
      String body = close < 0 ? "" : s.substring(i + 1, close);
      if (!REPEAT_BOUNDS.matcher(body).matches()) {
        i++;
        atom(g, 1, 1);
        return null;
      }
      i = close + 1;
      int comma = body.indexOf(',');
      long min = Long.parseLong(comma < 0 ? body : body.substring(0, comma));
      long max =
          comma < 0
              ? min
              : comma == body.length() - 1 ? min + 1 : Long.parseLong(body.substring(comma + 1));
      long count = Math.max(min, max);
      if (count > MAX_REPEAT) {
        return "repeats " + count + " times; RE2 allows at most " + MAX_REPEAT;
      }
      long product = g.lastAtomProduct * Math.max(count, 1);
      if (product > MAX_REPEAT) {
        return "nests repetitions " + product + " times over; RE2 allows at most " + MAX_REPEAT;
      }
      g.size += g.lastAtomSize * (count - 1) + 1;
      g.lastAtomProduct = product;
      g.maxProduct = Math.max(g.maxProduct, product);
      return null;
    }

    /** After '(': a (?flags), (?:, (?P<name> or (?<name> prefix is not an atom. */
    private void skipGroupPrefix() {
      if (i < s.length() && s.charAt(i) == '?') {
        int end = i + 1;
        while (end < s.length() && ":)>".indexOf(s.charAt(end)) < 0) {
          end++;
        }
        i = end < s.length() && s.charAt(end) != ')' ? end + 1 : end;
      }
    }

    /** An escape's cost; leaves {@link #i} after it. */
    private long escape() {
      i++; // the backslash
      if (i >= s.length()) {
        return 1;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'p', 'P' -> {
          skipBraced();
          return UNICODE_CLASS_COST;
        }
        case 'd', 'D', 's', 'S', 'w', 'W' -> {
          return 8;
        }
        case 'x' -> {
          if (i < s.length() && s.charAt(i) == '{') {
            skipBraced();
          } else {
            i = Math.min(s.length(), i + 2);
          }
          return 1;
        }
        case 'Q' -> {
          int end = s.indexOf("\\E", i);
          int stop = end < 0 ? s.length() : end;
          long n = stop - i;
          i = end < 0 ? s.length() : end + 2;
          return Math.max(n, 1);
        }
        default -> {
          return 1;
        }
      }
    }

    private void skipBraced() {
      if (i < s.length() && s.charAt(i) == '{') {
        int close = s.indexOf('}', i);
        i = close < 0 ? s.length() : close + 1;
      } else {
        i = Math.min(s.length(), i + 1);
      }
    }

    /** A bracketed class: two per item or range, a Unicode class inside at its cost. */
    private long charClass() {
      i++; // '['
      long cost = 0;
      if (i < s.length() && s.charAt(i) == '^') {
        cost += 10;
        i++;
      }
      boolean first = true;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ']' && !first) {
          i++;
          break;
        }
        first = false;
        if (c == '[' && i + 1 < s.length() && s.charAt(i + 1) == ':') {
          int close = s.indexOf(":]", i + 2);
          i = close < 0 ? s.length() : close + 2;
          cost += 8;
        } else if (c == '\\') {
          cost += escape() == UNICODE_CLASS_COST ? UNICODE_CLASS_COST : 2;
        } else {
          i++;
          if (i + 1 < s.length() && s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
            i += 2; // a range a-z
          }
          cost += 2;
        }
      }
      return Math.max(cost, 1);
    }
  }
}
