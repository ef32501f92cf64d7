package dev.lambdagate.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.crd.GatewayParameters;
import dev.lambdagate.controlplane.crd.GatewayParametersSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
  static ResourceRequirements cpuLimit(String cpu) {
    return new ResourceRequirementsBuilder().withLimits(Map.of("cpu", new Quantity(cpu))).build();
  }

  @Test
  void concurrencyIsTheCpuLimitInCoresRoundedUpAndAtLeastOne() {
    assertThat(ProxySettings.concurrency(cpuLimit("100m"))).isEqualTo(1);
    assertThat(ProxySettings.concurrency(cpuLimit("1"))).isEqualTo(1);
    assertThat(ProxySettings.concurrency(cpuLimit("1000m"))).isEqualTo(1);
    assertThat(ProxySettings.concurrency(cpuLimit("1001m"))).isEqualTo(2);
    assertThat(ProxySettings.concurrency(cpuLimit("1500m"))).isEqualTo(2);
    assertThat(ProxySettings.concurrency(cpuLimit("2.5"))).isEqualTo(3);
    assertThat(ProxySettings.concurrency(cpuLimit("4"))).isEqualTo(4);
    assertThat(ProxySettings.concurrency(cpuLimit("0"))).isEqualTo(1);
  }

  @Test
  void noCpuLimitMeansNoConcurrencyFlag() {
    assertThat(ProxySettings.concurrency(null)).isNull();
    assertThat(ProxySettings.concurrency(new ResourceRequirements())).isNull();
    assertThat(
            ProxySettings.concurrency(
                new ResourceRequirementsBuilder()
                    .withRequests(Map.of("cpu", new Quantity("2")))
                    .withLimits(Map.of("memory", new Quantity("1Gi")))
                    .build()))
        .isNull();
    assertThat(ProxySettings.concurrency(cpuLimit("two"))).isNull();
  }

  static ProxySettings image(GatewayParametersSpec.Image image) {
    GatewayParameters p = new GatewayParameters();
    p.setSpec(
        new GatewayParametersSpec(
            new GatewayParametersSpec.Kube(
                null,
                null,
                new GatewayParametersSpec.EnvoyContainer(null, image, null, null),
                null,
                null,
                null)));
    return ProxySettings.of(p);
  }

  @Test
  void imagePartsReplaceThoseOfTheControlPlanesImage() {
    String def = "envoyproxy/envoy:v1.35.0";
    assertThat(image(null).image(def)).isEqualTo(def);
    assertThat(
            image(new GatewayParametersSpec.Image(null, null, "v1.34.1", null, "Always"))
                .image(def))
        .isEqualTo("envoyproxy/envoy:v1.34.1");
    assertThat(
            image(new GatewayParametersSpec.Image("mirror.example.com", null, null, null, null))
                .image(def))
        .as("a mirror: repository and tag kept, each part is overridden on its own")
        .isEqualTo("mirror.example.com/envoyproxy/envoy:v1.35.0");
    assertThat(
            image(
                    new GatewayParametersSpec.Image(
                        "quay.io/solo-io", "envoy-wrapper", "2.0.0", null, null))
                .image(def))
        .isEqualTo("quay.io/solo-io/envoy-wrapper:2.0.0");
    assertThat(
            image(new GatewayParametersSpec.Image(null, null, null, "sha256:abc", null))
                .image("registry.example.com:5000/envoy:v1"))
        .isEqualTo("registry.example.com:5000/envoy:v1@sha256:abc");
    assertThat(image(new GatewayParametersSpec.Image(null, null, null, null, "Never")).image(def))
        .as("pullPolicy alone keeps the image")
        .isEqualTo(def);
  }

  @Test
  void imageReferencesSplitLikeDocker() {
    assertThat(ProxySettings.ImageReference.parse("envoyproxy/envoy:v1.35.0"))
        .isEqualTo(new ProxySettings.ImageReference(null, "envoyproxy/envoy", "v1.35.0", null));
    assertThat(ProxySettings.ImageReference.parse("localhost:5000/envoy@sha256:ff"))
        .isEqualTo(new ProxySettings.ImageReference("localhost:5000", "envoy", null, "sha256:ff"));
    assertThat(ProxySettings.ImageReference.parse("ghcr.io/org/envoy:1.2@sha256:ff"))
        .isEqualTo(new ProxySettings.ImageReference("ghcr.io", "org/envoy", "1.2", "sha256:ff"));
  }
}
