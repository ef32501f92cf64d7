package dev.lambdagate.config;

import dev.lambdagate.json.JsonArray;
import dev.lambdagate.json.JsonObject;
import dev.lambdagate.json.JsonValue;
import dev.lambdagate.sigv4.Header;
import java.util.ArrayList;
import java.util.List;

/** Reads and checks one entry of {@code routeFilters} (docs/filter-config.md). */
final class RouteFiltersReader {

  private RouteFiltersReader() {}

  static RouteFilters read(JsonObject o, String path) throws ConfigException {
    JsonFields f = new JsonFields(o, path);
    String hostname = f.optionalString("hostname");
    if (hostname != null && !isHostname(hostname)) {
      throw new ConfigException(f.pathOf("hostname"), "must be a DNS name like api.example.com");
    }
    RouteFilters.PathRewrite rewrite = RouteFilters.PathRewrite.NONE;
    String value = null;
    String prefix = null;
    JsonObject p = f.optionalObject("path");
    if (p != null) {
      JsonFields pf = new JsonFields(p, f.pathOf("path"));
      String type = pf.requiredString("type");
      if (type.equals("ReplaceFullPath")) {
        rewrite = RouteFilters.PathRewrite.REPLACE_FULL_PATH;
      } else if (type.equals("ReplacePrefixMatch")) {
        rewrite = RouteFilters.PathRewrite.REPLACE_PREFIX_MATCH;
        prefix = absolutePath(pf, "matchedPrefix", pf.requiredString("matchedPrefix"));
      } else {
        throw new ConfigException(
            pf.pathOf("type"), "must be ReplaceFullPath or ReplacePrefixMatch, got " + type);
      }
      value = absolutePath(pf, "value", pf.requiredString("value"));
    }
    List<Header> set = new ArrayList<>();
    List<Header> add = new ArrayList<>();
    List<String> remove = new ArrayList<>();
    JsonObject h = f.optionalObject("requestHeaders");
    if (h != null) {
      JsonFields hf = new JsonFields(h, f.pathOf("requestHeaders"));
      headers(hf, "set", set);
      headers(hf, "add", add);
      JsonArray names = hf.optionalArray("remove");
      if (names != null) {
        for (int i = 0; i < names.size(); i++) {
          String itemPath = hf.pathOf("remove") + "[" + i + "]";
          remove.add(headerName(itemPath, JsonFields.string(itemPath, names.get(i))));
        }
      }
    }
    return new RouteFilters(hostname, rewrite, value, prefix, set, add, remove);
  }

  private static void headers(JsonFields f, String key, List<Header> out) throws ConfigException {
    JsonArray items = f.optionalArray(key);
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      String itemPath = f.pathOf(key) + "[" + i + "]";
      JsonValue item = items.get(i);
      JsonFields hf = new JsonFields(JsonFields.object(itemPath, item), itemPath);
      String name = headerName(hf.pathOf("name"), hf.requiredString("name"));
      String value = hf.optionalString("value");
      if (value == null) {
        value = "";
      }
      for (int c = 0; c < value.length(); c++) {
        char ch = value.charAt(c);
        if (ch == '\r' || ch == '\n' || ch == 0) {
          throw new ConfigException(hf.pathOf("value"), "must not contain CR, LF or NUL");
        }
      }
      out.add(new Header(name, value));
    }
  }

  /** An HTTP field name (RFC 9110 token), lower-cased; pseudo-headers are not allowed. */
  private static String headerName(String path, String name) throws ConfigException {
    if (name.isEmpty()) {
      throw new ConfigException(path, "must not be empty");
    }
    String lower = HeaderFieldNames.lowerCaseToken(name);
    if (lower == null) {
      throw new ConfigException(path, "must be an HTTP header name, got \"" + name + "\"");
    }
    return lower;
  }

  private static String absolutePath(JsonFields f, String key, String value)
      throws ConfigException {
    if (!value.startsWith("/")) {
      throw new ConfigException(f.pathOf(key), "must start with /");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '?' || c == '#' || c <= ' ' || c == 0x7f) {
        throw new ConfigException(
            f.pathOf(key), "must be a path without query, fragment or spaces");
      }
    }
    return value;
  }

  private static boolean isHostname(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
