package dev.lambdagate.controlplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void issuesGatewayAndServerCertificatesItsKeyVerifies() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create(Clock.fixed(T0, ZoneOffset.UTC));
    IssuedCertificate client = ca.issueGatewayClient("team-a/edge");
    X509Certificate c = client.certificate();
    c.verify(ca.certificate().getPublicKey());
    assertThat(GatewayIdentity.of(c)).isEqualTo("team-a/edge");
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth
    assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(Duration.between(T0, c.getNotAfter().toInstant()))
        .isEqualTo(CertificateAuthority.LEAF_LIFETIME);

    XdsServerTls server = XdsServerTls.forService(ca, "lambdagate-control-plane", "lg");
    X509Certificate s = server.serverCertificate();
    s.verify(ca.certificate().getPublicKey());
    assertThat(GatewayIdentity.of(s)).as("a server certificate names no Gateway").isNull();
    assertThat(s.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)))
        .containsExactly(
            "lambdagate-control-plane", "lambdagate-control-plane.lg",
            "lambdagate-control-plane.lg.svc", "lambdagate-control-plane.lg.svc.cluster.local",
            "localhost", "127.0.0.1");

    CertificateAuthority other = CertificateAuthority.create(Clock.fixed(T0, ZoneOffset.UTC));
    assertThatThrownBy(() -> c.verify(other.certificate().getPublicKey()))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void pemRoundTripKeepsTheCa() {
    CertificateAuthority ca = CertificateAuthority.create(Clock.systemUTC());
    CertificateAuthority loaded =
        CertificateAuthority.load(ca.certificatePem(), ca.privateKeyPem(), Clock.systemUTC());
    assertThat(loaded).isEqualTo(ca);
    X509Certificate fromLoaded = loaded.issueGatewayClient("ns/gw").certificate();
    assertThat(fromLoaded.getIssuerX500Principal())
        .isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThatThrownBy(
            () ->
                CertificateAuthority.load(
                    loaded.issueGatewayClient("ns/gw").certificatePem(),
                    ca.privateKeyPem(),
                    Clock.systemUTC()))
        .hasMessageContaining("not a CA certificate");
  }

  @Test
  void gatewayNamesThatCannotBeIdentitiesAreRefused() {
    CertificateAuthority ca = CertificateAuthority.create(Clock.systemUTC());
    for (String bad : List.of("nons", "a/b/c", "/x", "x/", "A/b", "a/b?c")) {
      assertThatThrownBy(() -> ca.issueGatewayClient(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** 30-day certificates are re-issued from day 20 on (less than a third left). */
  @Test
  void renewalIsDueWhenLessThanAThirdOfTheLifetimeRemains() {
    MutableClock clock = new MutableClock(T0);
    CertificateAuthority ca = CertificateAuthority.create(clock);
    X509Certificate c = ca.issueGatewayClient("ns/gw").certificate();
    Instant notBefore = c.getNotBefore().toInstant();
    Instant notAfter = c.getNotAfter().toInstant();
    Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
    assertThat(RenewalPolicy.due(c, T0)).isFalse();
    assertThat(RenewalPolicy.due(c, T0.plus(Duration.ofDays(19)))).isFalse();
    assertThat(RenewalPolicy.due(c, notAfter.minus(third).plusSeconds(1))).isTrue();
    assertThat(RenewalPolicy.due(c, notAfter.minus(third).minusSeconds(1))).isFalse();
    assertThat(RenewalPolicy.due(c, notAfter.plusSeconds(1))).as("expired").isTrue();
    assertThat(RenewalPolicy.due(c, notBefore.minusSeconds(1))).as("not yet valid").isTrue();

    XdsServerTls server = XdsServerTls.forLoopback(ca);
    X509Certificate first = server.serverCertificate();
    assertThat(server.renewIfDue()).isFalse();
    clock.set(T0.plus(Duration.ofDays(21)));
    assertThat(server.renewIfDue()).isTrue();
    assertThat(server.serverCertificate()).isNotEqualTo(first);
    assertThat(server.serverCertificate().getNotAfter().toInstant())
        .isEqualTo(T0.plus(Duration.ofDays(51)));
    assertThat(server.renewIfDue()).isFalse();
  }
}
