package dev.lambdagate.credentials;

import java.util.ArrayList;
import java.util.List;

/**
 * A very small XML reader for STS query-protocol responses: elements (namespace prefixes dropped),
 * attributes skipped, text with the five predefined entities, character references and CDATA.
 * Comments, processing instructions and the XML declaration are skipped; a DOCTYPE is refused.
 * Enough for AWS's responses, and no {@code javax.xml} (TeaVM cannot compile it).
 */
final class XmlElement {
  private final String name;
  private final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  private XmlElement(String name) {
    this.name = name;
  }

  /** The element's name without its namespace prefix. */
  String name() {
    return name;
  }

  /** The element's own text (not its children's), entities decoded. */
  String text() {
    return text.toString();
  }

  /** The first child with this local name, or null. */
  XmlElement child(String localName) {
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i).name.equals(localName)) {
        return children.get(i);
      }
    }
    return null;
  }

  /** The trimmed text of the first child with this name, or null when there is no such child. */
  String childText(String localName) {
    XmlElement child = child(localName);
    return child == null ? null : child.text().trim();
  }

  /**
   * Parses a document and returns its root element.
   *
   * @throws IllegalArgumentException saying where the document is not well-formed
   */
  static XmlElement parse(String xml) {
    return new Reader(xml).document();
  }

  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    XmlElement document() {
      skipMisc();
      if (pos >= s.length() || s.charAt(pos) != '<') {
        throw error("expected an element");
      }
      XmlElement root = element();
      skipMisc();
      if (pos != s.length()) {
        throw error("content after the root element");
      }
      return root;
    }

    /** Skips white space, the XML declaration, processing instructions and comments. */
    private void skipMisc() {
      while (true) {
        while (pos < s.length() && isSpace(s.charAt(pos))) {
          pos++;
        }
        if (s.startsWith("<?", pos)) {
          pos = endOf("?>", pos + 2);
        } else if (s.startsWith("<!--", pos)) {
          pos = endOf("-->", pos + 4);
        } else if (s.startsWith("<!", pos)) {
          throw error("DOCTYPE and declarations are not accepted");
        } else {
          return;
        }
      }
    }

    private XmlElement element() {
      pos++; // '<'
      String qname = name();
      XmlElement element = new XmlElement(localName(qname));
      // Attributes are skipped (namespaces are not needed to read STS's answers).
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated start tag <" + qname + ">");
        }
        char c = s.charAt(pos);
        if (c == '>') {
          pos++;
          break;
        }
        if (c == '/' && s.startsWith("/>", pos)) {
          pos += 2;
          return element;
        }
        if (c == '"' || c == '\'') {
          int close = s.indexOf(c, pos + 1);
          if (close < 0) {
            throw error("unterminated attribute value");
          }
          pos = close + 1;
        } else {
          pos++;
        }
      }
      while (true) {
        if (pos >= s.length()) {
          throw error("missing </" + qname + ">");
        }
        if (s.startsWith("</", pos)) {
          pos += 2;
          String closing = name();
          while (pos < s.length() && isSpace(s.charAt(pos))) {
            pos++;
          }
          if (!closing.equals(qname) || pos >= s.length() || s.charAt(pos) != '>') {
            throw error("</" + closing + "> does not close <" + qname + ">");
          }
          pos++;
          return element;
        }
        if (s.startsWith("<!--", pos)) {
          pos = endOf("-->", pos + 4);
        } else if (s.startsWith("<![CDATA[", pos)) {
          int end = s.indexOf("]]>", pos + 9);
          if (end < 0) {
            throw error("unterminated CDATA section");
          }
          element.text.append(s, pos + 9, end);
          pos = end + 3;
        } else if (s.startsWith("<?", pos)) {
          pos = endOf("?>", pos + 2);
        } else if (s.charAt(pos) == '<') {
          element.children.add(element());
        } else if (s.charAt(pos) == '&') {
          entity(element.text);
        } else {
          element.text.append(s.charAt(pos++));
        }
      }
    }

    private void entity(StringBuilder out) {
      int semi = s.indexOf(';', pos);
      if (semi < 0 || semi - pos > 12) {
        throw error("unterminated entity reference");
      }
      String ref = s.substring(pos + 1, semi);
      pos = semi + 1;
      switch (ref) {
        case "amp":
          out.append('&');
          return;
        case "lt":
          out.append('<');
          return;
        case "gt":
          out.append('>');
          return;
        case "quot":
          out.append('"');
          return;
        case "apos":
          out.append('\'');
          return;
        default:
          break;
      }
      if (ref.length() > 1 && ref.charAt(0) == '#') {
        boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
        int code = 0;
        for (int i = hex ? 2 : 1; i < ref.length(); i++) {
          int d = digit(ref.charAt(i), hex);
          if (d < 0 || code > 0x10FFFF) {
            throw error("bad character reference &" + ref + ";");
          }
          code = code * (hex ? 16 : 10) + d;
        }
        if (code > 0x10FFFF || (hex ? ref.length() == 2 : false)) {
          throw error("bad character reference &" + ref + ";");
        }
        if (code >= 0x10000) {
          code -= 0x10000;
          out.append((char) (0xD800 + (code >> 10))).append((char) (0xDC00 + (code & 0x3FF)));
        } else {
          out.append((char) code);
        }
        return;
      }
      throw error("unknown entity &" + ref + ";");
    }

    private String name() {
      int start = pos;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (isSpace(c) || c == '>' || c == '/' || c == '=' || c == '<') {
          break;
        }
        pos++;
      }
      if (pos == start) {
        throw error("expected a tag name");
      }
      return s.substring(start, pos);
    }

    private int endOf(String terminator, int from) {
      int end = s.indexOf(terminator, from);
      if (end < 0) {
        throw error("unterminated " + terminator);
      }
      return end + terminator.length();
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("not well-formed XML at offset " + pos + ": " + what);
    }
  }

  private static int digit(char c, boolean hex) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (hex && c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (hex && c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String localName(String qname) {
    int colon = qname.indexOf(':');
    return colon < 0 ? qname : qname.substring(colon + 1);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
