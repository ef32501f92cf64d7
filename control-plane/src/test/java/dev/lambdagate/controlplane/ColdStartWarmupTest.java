package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.model.ModelOptions;
import dev.lambdagate.controlplane.translate.TranslatorOptions;
import org.junit.jupiter.api.Test;

class ColdStartWarmupTest {

  @Test
  void runsEveryRoundThenEnds() {
    ColdStartWarmup w =
        ColdStartWarmup.start(ModelOptions.defaults(), TranslatorOptions.defaults(), 20, 3);
    assertThat(w.awaitFinished(120_000)).isTrue();
    // Each round built, translated and published a first state and three changes without
    // failing (a failure ends the warm-up early, with fewer rounds).
    assertThat(w.rounds()).isEqualTo(3);
    // It took the paths real Backends take: every one valid and programmed, none an error.
    var gateway = w.lastPlane().model().gateways().get(0);
    assertThat(gateway.backends()).hasSize(20).allMatch(b -> b.valid());
    assertThat(w.lastPlane().resources().get(gateway.nodeGroup()).clusters()).hasSize(20);
  }

  @Test
  void stopEndsItBetweenChanges() {
    ColdStartWarmup w =
        ColdStartWarmup.start(
            ModelOptions.defaults(), TranslatorOptions.defaults(), 50, Integer.MAX_VALUE);
    w.stop(120_000);
    assertThat(w.awaitFinished(1)).isTrue();
    assertThat(w.rounds()).isLessThan(Integer.MAX_VALUE);
  }

  @Test
  void kubernetesModeOptionsWarmUpToo() {
    // The options ControlPlaneMain passes in Kubernetes mode: proxies' own ServiceAccounts only.
    ColdStartWarmup w =
        ColdStartWarmup.start(
            ModelOptions.defaults().withOwnServiceAccountsOnly(true),
            TranslatorOptions.defaults(),
            10,
            1);
    assertThat(w.awaitFinished(120_000)).isTrue();
    assertThat(w.rounds()).isEqualTo(1);
  }
}
