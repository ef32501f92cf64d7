package dev.lambdagate.controlplane.kube;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Values the build writes into {@code lambdagate-build.properties} from the parent pom. */
final class BuildProperties {
  private static final Properties VALUES = load();

  private BuildProperties() {}

  static String get(String key) {
    String value = VALUES.getProperty(key);
    if (value == null || value.contains("${")) {
      throw new IllegalStateException(
          "lambdagate-build.properties has no value for "
              + key
              + " (the resource was not filtered by the build)");
    }
    return value;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in =
        BuildProperties.class.getResourceAsStream("/lambdagate-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read lambdagate-build.properties", e);
    }
    return p;
  }
}
