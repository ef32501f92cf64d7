package dev.lambdagate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.config.FilterConfig;
import dev.lambdagate.config.FilterConfigParser;
import dev.lambdagate.config.LambdaBackend;
import dev.lambdagate.config.LambdaConfig;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.translate.FilterConfigWriter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * In every partition the Envoy cluster the control plane builds for a Backend and the request the
 * filter signs for it name the same host: the cluster's address and SNI are the host the filter
 * puts in {@code Host} and signs, and the function ARN carries the region's partition. Both sides
 * take the region's DNS suffix from core's {@code AwsRegion}; a copy that knew fewer partitions
 * would route an {@code us-iso-east-1} Backend to {@code amazonaws.com} while the filter signed for
 * {@code c2s.ic.gov}.
 */
class PartitionEndpointsTest {

  @ParameterizedTest
  @CsvSource({
    "us-east-1, lambda.us-east-1.amazonaws.com, aws",
    "us-gov-west-1, lambda.us-gov-west-1.amazonaws.com, aws-us-gov",
    "cn-north-1, lambda.cn-north-1.amazonaws.com.cn, aws-cn",
    "us-iso-east-1, lambda.us-iso-east-1.c2s.ic.gov, aws-iso",
    "us-isob-east-1, lambda.us-isob-east-1.sc2s.sgov.gov, aws-iso-b",
  })
  void clusterHostAndSignedHostAgree(String region, String host, String partition)
      throws Exception {
    String yaml =
        Files.readString(TestSupport.goldenDir().resolve("seed-secret/input.yaml"))
            .replace("${REGION}", region);
    List<GatewayModel> gateways =
        TestSupport.modelBuilder()
            .build(TestSupport.loader().loadString("partition-" + region, yaml))
            .gateways();
    assertThat(gateways).hasSize(1);
    GatewayModel gateway = gateways.get(0);

    FilterConfig filter =
        FilterConfigParser.parse(FilterConfigWriter.json(gateway).getBytes(StandardCharsets.UTF_8));
    assertThat(filter.clusters()).hasSize(1);
    Map.Entry<String, String> clusterToBackend = filter.clusters().entrySet().iterator().next();
    LambdaConfig lambda =
        ((LambdaBackend) filter.backendFor(null, clusterToBackend.getKey())).lambda();
    assertThat(lambda.endpoint().authority()).isEqualTo(host);
    assertThat(lambda.region()).isEqualTo(region);
    // The account id makes the filter call the function by its full ARN, in the region's partition.
    assertThat(lambda.invokePath())
        .isEqualTo(
            "/2015-03-31/functions/arn%3A"
                + partition
                + "%3Alambda%3A"
                + region
                + "%3A123456789012%3Afunction%3Aecho/invocations");

    Cluster cluster =
        TestSupport.translator().translate(gateway).clusters().stream()
            .filter(c -> c.getName().equals(clusterToBackend.getKey()))
            .findFirst()
            .orElseThrow();
    SocketAddress address =
        cluster
            .getLoadAssignment()
            .getEndpoints(0)
            .getLbEndpoints(0)
            .getEndpoint()
            .getAddress()
            .getSocketAddress();
    assertThat(address.getAddress()).isEqualTo(host);
    assertThat(address.getPortValue()).isEqualTo(443);
    UpstreamTlsContext tls =
        cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo(host);
  }
}
