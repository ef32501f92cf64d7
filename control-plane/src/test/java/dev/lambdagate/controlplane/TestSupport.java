package dev.lambdagate.controlplane;

import dev.lambdagate.controlplane.files.ManifestLoader;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.model.SessionCredentials;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Shared fixtures: values for the shell variables of kgateway's Lambda guides, a fixed token,
 * default options.
 */
public final class TestSupport {
  public static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.test-web-identity-token.c2lnbmF0dXJl";

  /** What the shell variables of kgateway's Lambda guides are set to in tests. */
  public static final Map<String, String> VARIABLES =
      Map.of(
          "REGION", "us-east-1",
          "ACCOUNT_ID", "123456789012",
          "AWS_LAMBDA_REGION", "us-east-1",
          "AWS_ACCOUNT_ID", "123456789012",
          "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
          "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

  /** A fixed EKS Pod Identity token (audience pods.eks.amazonaws.com). */
  public static final String POD_IDENTITY_TOKEN =
      "eyJhbGciOiJSUzI1NiJ9.test-pod-identity-token.c2lnbmF0dXJl";

  public static final WebIdentityTokenSource TOKENS =
      WebIdentityTokenSource.combining(
          (ns, sa) -> Optional.of(TOKEN), (ns, sa) -> Optional.of(POD_IDENTITY_TOKEN));

  private TestSupport() {}

  public static ManifestLoader loader() {
    return new ManifestLoader(VARIABLES::get);
  }

  /**
   * Default options; Secret keys are exchanged for the fixed placeholder session (no STS call while
   * building).
   */
  public static ModelBuilder modelBuilder() {
    return new ModelBuilder(ModelOptions.defaults(), TOKENS, SessionCredentials.placeholder());
  }

  public static EnvoyTranslator translator() {
    return new EnvoyTranslator(TranslatorOptions.defaults());
  }

  public static Path goldenDir() {
    return Path.of("src/test/resources/golden");
  }

  public static Path examplesDir() {
    return Path.of("..", "examples");
  }
}
