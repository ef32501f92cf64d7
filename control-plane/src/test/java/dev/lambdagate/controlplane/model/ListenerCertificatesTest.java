package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.tls.CertificateAuthority;
import dev.lambdagate.controlplane.tls.IssuedCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTPS listeners' certificateRefs as Gateway API says: a core {@code kubernetes.io/tls} Secret in
 * the Gateway's namespace or one a ReferenceGrant opens, whose key is its certificate's; each
 * failure with its reason and a message naming the Secret, never its contents.
 */
class ListenerCertificatesTest {
  static final CertificateAuthority CA = CertificateAuthority.create(Clock.systemUTC());
  static final IssuedCertificate FOO = CA.issueServer(List.of("foo.example.com"), List.of());
  static final IssuedCertificate BAR = CA.issueServer(List.of("bar.example.com"), List.of());

  static Secret tls(String ns, String name, String crt, String key) {
    return tls(ns, name, "kubernetes.io/tls", crt, key);
  }

  static Secret tls(String ns, String name, String type, String crt, String key) {
    Base64.Encoder b64 = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withType(type)
        .withData(
            Map.of(
                "tls.crt", b64.encodeToString(crt.getBytes(StandardCharsets.UTF_8)),
                "tls.key", b64.encodeToString(key.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  static final String GRANT =
      """
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata: {name: gateways, namespace: certs}
      spec:
        from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]
        to: [{group: "", kind: Secret, name: %s}]
      """;

  static List<ListenerState> listeners(String listenersYaml, List<Secret> secrets, String grants)
      throws Exception {
    String gateway =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: kgateway
          listeners:
        %s"""
            .formatted(listenersYaml.indent(2));
    ClusterState state =
        TestSupport.loader()
            .loadString("t.yaml", gateway + (grants == null ? "" : "---\n" + grants));
    Gateway g = state.gateways().get(0);
    return ListenerAssembler.listeners(
        g, new ListenerCertificates(secrets, state.referenceGrants()));
  }

  static String https(String name, String hostname, String ref) {
    return "- {name: "
        + name
        + ", protocol: HTTPS, port: 443"
        + (hostname == null ? "" : ", hostname: '" + hostname + "'")
        + ", tls: {certificateRefs: ["
        + ref
        + "]}}\n";
  }

  @Test
  void aSecretOfTheGatewaysNamespaceResolves() throws Exception {
    List<ListenerState> ls =
        listeners(
            https("a", "foo.example.com", "{name: foo}"),
            List.of(tls("default", "foo", FOO.certificatePem(), FOO.privateKeyPem())),
            null);
    ListenerModel m = ls.get(0).toModel();
    assertThat(m.refsReason()).isNull();
    assertThat(m.programmed()).isTrue();
    assertThat(ls.get(0).certificates)
        .extracting(TlsCertificate::secretId, TlsCertificate::certificateChain)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default/foo", FOO.certificatePem()));
    assertThat(ls.get(0).certificates.get(0).toString())
        .as("a model printed in a log shows no key")
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void eachBadSecretIsInvalidCertificateRefNamingItWithoutItsContents() throws Exception {
    List<Secret> secrets = new ArrayList<>();
    secrets.add(tls("default", "opaque", "Opaque", FOO.certificatePem(), FOO.privateKeyPem()));
    secrets.add(tls("default", "crossed", FOO.certificatePem(), BAR.privateKeyPem()));
    secrets.add(tls("default", "garbage-crt", "not a certificate", FOO.privateKeyPem()));
    secrets.add(tls("default", "garbage-key", FOO.certificatePem(), "secret-ish key bytes"));
    Secret noKey = tls("default", "no-key", FOO.certificatePem(), FOO.privateKeyPem());
    noKey.setData(Map.of("tls.crt", noKey.getData().get("tls.crt")));
    secrets.add(noKey);
    List<ListenerState> ls =
        listeners(
            https("missing", "a.example.com", "{name: nothing-here}")
                + https("opaque", "b.example.com", "{name: opaque}")
                + https("crossed", "c.example.com", "{name: crossed}")
                + https("crt", "d.example.com", "{name: garbage-crt}")
                + https("key", "e.example.com", "{name: garbage-key}")
                + https("nokey", "f.example.com", "{name: no-key}")
                + https("kind", "g.example.com", "{name: cm, kind: ConfigMap}")
                + "- {name: none, protocol: HTTPS, port: 443, hostname: h.example.com}\n",
            secrets,
            null);
    assertThat(ls)
        .allSatisfy(
            l -> {
              assertThat(l.refsReason).isEqualTo(StatusReason.INVALID_CERTIFICATE_REF);
              assertThat(l.served()).isFalse();
              assertThat(l.usable()).as("routes still attach").isTrue();
              assertThat(l.refsMessage)
                  .doesNotContain("BEGIN")
                  .doesNotContain("secret-ish")
                  .doesNotContain(FOO.privateKeyPem().substring(30, 60));
            });
    assertThat(ls)
        .extracting(l -> l.refsMessage)
        .containsExactly(
            "tls.certificateRefs[0]: Secret default/nothing-here not found",
            "tls.certificateRefs[0]: Secret default/opaque is of type Opaque, not"
                + " kubernetes.io/tls",
            "tls.certificateRefs[0]: Secret default/crossed tls.key is not the key of the first"
                + " certificate of tls.crt",
            "tls.certificateRefs[0]: Secret default/garbage-crt tls.crt is not a PEM certificate"
                + " chain",
            "tls.certificateRefs[0]: Secret default/garbage-key tls.key is not a PEM private key",
            "tls.certificateRefs[0]: Secret default/no-key has no tls.key (or it is not valid"
                + " base64)",
            "tls.certificateRefs[0]: ConfigMap is not supported (only core Secrets of type"
                + " kubernetes.io/tls)",
            "tls.certificateRefs is empty: an HTTPS listener needs a kubernetes.io/tls Secret");
    assertThat(ListenerAssembler.ports("default/gw", ls, Map.of()))
        .as("nothing to serve")
        .isEmpty();
  }

  @Test
  void anotherNamespacesSecretNeedsAReferenceGrantFromGateways() throws Exception {
    List<Secret> secrets =
        List.of(
            tls("certs", "foo", FOO.certificatePem(), FOO.privateKeyPem()),
            tls("certs", "bar", BAR.certificatePem(), BAR.privateKeyPem()));
    String listeners =
        https("foo", "foo.example.com", "{name: foo, namespace: certs}")
            + https("bar", "bar.example.com", "{name: bar, namespace: certs}")
            + https("ghost", "ghost.example.com", "{name: ghost, namespace: certs}");

    List<ListenerState> none = listeners(listeners, secrets, null);
    assertThat(none).extracting(l -> l.refsReason).containsOnly(StatusReason.REF_NOT_PERMITTED);
    assertThat(none.get(0).refsMessage)
        .isEqualTo(
            "tls.certificateRefs[0]: Secret certs/foo is in another namespace and no"
                + " ReferenceGrant in certs allows Gateways of default to refer to it");

    // A grant naming foo opens foo only; a ref denied is denied whether or not its Secret exists.
    List<ListenerState> fooOnly = listeners(listeners, secrets, GRANT.formatted("foo"));
    assertThat(fooOnly)
        .extracting(l -> l.refsReason)
        .containsExactly(null, StatusReason.REF_NOT_PERMITTED, StatusReason.REF_NOT_PERMITTED);

    // A grant from HTTPRoutes is not one from Gateways.
    List<ListenerState> routes =
        listeners(
            listeners, secrets, GRANT.formatted("foo").replace("kind: Gateway", "kind: HTTPRoute"));
    assertThat(routes.get(0).refsReason).isEqualTo(StatusReason.REF_NOT_PERMITTED);

    // A grant without a name opens every Secret of certs: ghost is then looked up, and missing.
    List<ListenerState> all = listeners(listeners, secrets, GRANT.replace(", name: %s", ""));
    assertThat(all)
        .extracting(l -> l.refsReason)
        .containsExactly(null, null, StatusReason.INVALID_CERTIFICATE_REF);
  }

  @Test
  void httpsListenersOfAPortBecomeOneSniChainEachTheHostnamelessOneFirst() throws Exception {
    List<Secret> secrets =
        List.of(
            tls("default", "foo", FOO.certificatePem(), FOO.privateKeyPem()),
            tls("default", "bar", BAR.certificatePem(), BAR.privateKeyPem()));
    List<ListenerState> ls =
        listeners(
            https("wild", "*.example.com", "{name: bar}")
                + https("foo", "foo.example.com", "{name: foo}")
                + https("any", null, "{name: bar}")
                + https("broken", "broken.example.com", "{name: nope}")
                + "- {name: passthrough, protocol: HTTPS, port: 8443, tls: {mode: Passthrough}}\n",
            secrets,
            null);
    assertThat(ls.get(4).unsupported).isEqualTo(StatusReason.UNSUPPORTED_PROTOCOL);
    assertThat(ls.get(4).message)
        .startsWith("tls.mode Passthrough: tls mode must be Terminate for protocol HTTPS");
    List<PortModel> ports = ListenerAssembler.ports("default/gw", ls, Map.of());
    assertThat(ports).hasSize(1);
    assertThat(ports.get(0).tls())
        .extracting(TlsChain::hostname, TlsChain::listener)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, "any"),
            org.assertj.core.groups.Tuple.tuple("*.example.com", "wild"),
            org.assertj.core.groups.Tuple.tuple("foo.example.com", "foo"));
    assertThat(ports.get(0).tls().get(2).certificates())
        .extracting(TlsCertificate::secretId)
        .containsExactly("default/foo");
  }
}
