package dev.lambdagate.credentials;

/** Where STS calls go: the Envoy cluster, the Host ({@code :authority}) and the signing region. */
public final class StsEndpoint {
  private final String cluster;
  private final String authority;
  private final String region;

  public StsEndpoint(String cluster, String authority, String region) {
    this.cluster = cluster;
    this.authority = authority;
    this.region = region;
  }

  public String cluster() {
    return cluster;
  }

  public String authority() {
    return authority;
  }

  public String region() {
    return region;
  }

  @Override
  public String toString() {
    return "StsEndpoint[" + authority + " via " + cluster + ", " + region + "]";
  }
}
