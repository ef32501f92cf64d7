package dev.lambdagate.filter;

import dev.lambdagate.sdk.AbiConstants;
import dev.lambdagate.sdk.Host;

/** The filter's log lines, all prefixed {@code lambdagate:}; never a credential. */
final class FilterLog {
  private static int level = AbiConstants.LOG_INFO;

  private FilterLog() {}

  /** Reads the host's log level once per configuration, so hot paths need not ask. */
  static void refreshLevel() {
    level = Host.logLevel();
  }

  static boolean traceEnabled() {
    return level <= AbiConstants.LOG_TRACE;
  }

  static void info(String message) {
    Host.log(AbiConstants.LOG_INFO, "lambdagate: " + message);
  }

  static void warn(String message) {
    Host.log(AbiConstants.LOG_WARN, "lambdagate: " + message);
  }

  static void error(String message) {
    Host.log(AbiConstants.LOG_ERROR, "lambdagate: " + message);
  }
}
