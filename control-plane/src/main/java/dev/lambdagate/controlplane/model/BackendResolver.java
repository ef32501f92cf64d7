package dev.lambdagate.controlplane.model;

import dev.lambdagate.config.AwsRegion;
import dev.lambdagate.config.Endpoint;
import dev.lambdagate.controlplane.crd.Backend;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.state.ResourceKey;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resolves Backends to what a Gateway's filter gets ({@link BackendModel}): each Backend is
 * validated once ({@link BackendValidator}, Gateway-independent); then, per Gateway, its
 * credentials are picked: the Secret's keys (exchanged for a session when the Gateway says so), or
 * the Gateway's own identity (IRSA: its ServiceAccount's role and a web identity token), either
 * chained to the Backend's {@code assumeRole}. What cannot be served becomes an error backend whose
 * message says why.
 *
 * <p>Made for one {@link ModelBuilder#build} call; it reads the state it was given and keeps no
 * other state, so it is thread-safe if its token and session sources are.
 */
final class BackendResolver {
  private final ClusterState state;
  private final ModelOptions options;
  private final WebIdentityTokenSource tokens;
  private final SessionCredentials sessions;
  private final Map<String, Backend> backendsById;
  private final Map<String, BackendValidator.Resolved> resolvedById;
  private final SortedMap<ResourceKey, String> errors;

  /** Per Gateway (asked once, not once per Backend): whether its Secret keys are exchanged. */
  private final Map<Gateway, Boolean> exchangeByGateway = new IdentityHashMap<>();

  /** Per Gateway: whether Backends without {@code auth} use EKS Pod Identity instead of IRSA. */
  private final Map<Gateway, Boolean> podIdentityByGateway = new IdentityHashMap<>();

  BackendResolver(
      ClusterState state,
      ModelOptions options,
      WebIdentityTokenSource tokens,
      SessionCredentials sessions) {
    this(state, options, tokens, sessions, BuildMemo.NONE);
  }

  /**
   * @param memo where validations of earlier builds are kept
   */
  BackendResolver(
      ClusterState state,
      ModelOptions options,
      WebIdentityTokenSource tokens,
      SessionCredentials sessions,
      BuildMemo memo) {
    this(
        state,
        options,
        tokens,
        sessions,
        memo.validation(state.backends(), state.secrets(), () -> validate(state, options, memo)));
  }

  /** A resolver of what {@code validation} (of {@code state}'s Backends and Secrets) gives. */
  BackendResolver(
      ClusterState state,
      ModelOptions options,
      WebIdentityTokenSource tokens,
      SessionCredentials sessions,
      Validation validation) {
    this.state = state;
    this.options = options;
    this.tokens = tokens;
    this.sessions = sessions;
    this.backendsById = validation.backendsById();
    this.resolvedById = validation.resolvedById();
    this.errors = validation.errors();
  }

  /**
   * Every Backend validated, by {@code ns/name}, and its error (null = valid) by key. Immutable.
   */
  record Validation(
      Map<String, Backend> backendsById,
      Map<String, BackendValidator.Resolved> resolvedById,
      SortedMap<ResourceKey, String> errors) {}

  private static Validation validate(ClusterState state, ModelOptions options, BuildMemo memo) {
    Map<String, Secret> secrets = new HashMap<>();
    for (Secret s : state.secrets()) {
      secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
    }
    Map<String, Backend> backendsById = new HashMap<>();
    Map<String, BackendValidator.Resolved> resolvedById = new HashMap<>();
    TreeMap<ResourceKey, String> errors = new TreeMap<>();
    for (Backend b : state.backends()) {
      String id = b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
      BackendValidator.Resolved r =
          memo.validated(
              id,
              b,
              secrets.get(secretName(b)),
              () -> BackendValidator.resolve(b, secrets, options.endpointPolicy()));
      backendsById.put(id, b);
      resolvedById.put(id, r);
      errors.put(ModelBuilder.key("Backend", b), r.error());
    }
    return new Validation(
        Collections.unmodifiableMap(backendsById),
        Collections.unmodifiableMap(resolvedById),
        Collections.unmodifiableSortedMap(errors));
  }

  /**
   * {@code ns/name} of the Secret Backend {@code b}'s {@code spec.aws.auth.secretRef} names, the
   * only Secret {@link BackendValidator} reads for it; null when it names none.
   */
  static String secretName(Backend b) {
    var spec = b.getSpec();
    if (spec == null
        || spec.aws() == null
        || spec.aws().auth() == null
        || spec.aws().auth().secretRef() == null) {
      return null;
    }
    return b.getMetadata().getNamespace() + "/" + spec.aws().auth().secretRef().name();
  }

  /** Every Backend, by {@code ns/name}. */
  Map<String, Backend> backendsById() {
    return backendsById; // unmodifiable, and the same instance while no Backend or Secret changed
  }

  /** Every Backend with its own error (null = valid), as its status shows it. */
  SortedMap<ResourceKey, String> errors() {
    return errors;
  }

  /**
   * Backend {@code id} as Gateway {@code g}'s filter gets it.
   *
   * @param serviceAccountConflict why {@code g}'s proxy has no ServiceAccount of its own, or null
   * @param unresolved the failed backendRef that named {@code id} when it is no Backend, or null
   */
  BackendModel backend(
      String id,
      Gateway g,
      String serviceAccountConflict,
      BackendRefResolver.ResolvedRef unresolved) {
    BackendValidator.Resolved r = resolvedById.get(id);
    Backend b = backendsById.get(id);
    if (r == null || b == null) {
      return new BackendModel(
          id,
          unresolved == null ? clusterFor(id) : unresolved.errorCluster(),
          null,
          null,
          null,
          unresolved == null ? "backend " + id + " not found" : unresolved.message());
    }
    String cluster =
        BackendModel.clusterName(b.getMetadata().getNamespace(), b.getMetadata().getName());
    ResourceKey bk = ModelBuilder.key("Backend", b);
    if (r.error() != null) {
      return unprogrammed(id, cluster, bk, r.error());
    }
    if (r.inline() != null) {
      boolean exchange =
          exchangeByGateway.computeIfAbsent(
              g,
              k ->
                  GatewayInfrastructure.exchangeSecretKeys(state, k, options.exchangeSecretKeys()));
      return new BackendModel(
          id, cluster, bk, r.lambda(), chained(r, secretCredentials(r, exchange)), null);
    }
    // The Gateway's identity (IRSA or EKS Pod Identity).
    String sa = g.getMetadata().getName();
    String gwNs = g.getMetadata().getNamespace();
    if (serviceAccountConflict != null) {
      // Never the role of an account lambdagate did not create (no token is minted for it).
      return unprogrammed(id, cluster, bk, serviceAccountConflict);
    }
    boolean ambientPodIdentity =
        !r.podIdentity()
            && podIdentityByGateway.computeIfAbsent(
                g, k -> GatewayInfrastructure.podIdentityByDefault(state, k));
    if (ambientPodIdentity && r.assumeRole() != null) {
      return unprogrammed(
          id,
          cluster,
          bk,
          "spec.aws.auth.assumeRole: role chaining from PodIdentity (the Gateway's default"
              + " identity, GatewayParameters spec.awsCredentials.defaultIdentity) is not supported");
    }
    if (r.podIdentity() || ambientPodIdentity) {
      Optional<String> podToken = tokens.podIdentityToken(gwNs, sa);
      if (podToken.isEmpty()) {
        return unprogrammed(
            id,
            cluster,
            bk,
            "no EKS Pod Identity token (audience pods.eks.amazonaws.com) for ServiceAccount "
                + gwNs
                + "/"
                + sa
                + " yet");
      }
      return new BackendModel(
          id,
          cluster,
          bk,
          r.lambda(),
          new Credentials.PodIdentity(
              podToken.get(), POD_IDENTITY_AGENT_CLUSTER, options.podIdentityAgent()),
          null);
    }
    String roleArn = GatewayInfrastructure.roleArn(state, g);
    if (roleArn == null) {
      return unprogrammed(
          id,
          cluster,
          bk,
          "spec.aws.auth is absent and ServiceAccount "
              + gwNs
              + "/"
              + sa
              + " of Gateway "
              + gwNs
              + "/"
              + g.getMetadata().getName()
              + " has no "
              + ModelBuilder.ROLE_ARN_ANNOTATION
              + " annotation");
    }
    Optional<String> token = tokens.token(gwNs, sa);
    if (token.isEmpty()) {
      return unprogrammed(
          id, cluster, bk, "no web identity token for ServiceAccount " + gwNs + "/" + sa + " yet");
    }
    String region = r.lambda().region();
    Credentials.WebIdentity identity =
        new Credentials.WebIdentity(
            roleArn, token.get(), region, stsEndpoint(region), stsCluster(region));
    return new BackendModel(id, cluster, bk, r.lambda(), chained(r, identity), null);
  }

  /** A Backend that is not programmed: its routes answer with {@code why}, naming the Backend. */
  private static BackendModel unprogrammed(String id, String cluster, ResourceKey bk, String why) {
    return new BackendModel(id, cluster, bk, null, null, "Backend " + id + ": " + why);
  }

  /** The Envoy cluster the filter calls the EKS Pod Identity agent through. */
  static final String POD_IDENTITY_AGENT_CLUSTER = "lambdagate-pod-identity-agent";

  /**
   * The credential clusters {@code backends} call through (STS for their web identity and role
   * chaining exchanges, the EKS Pod Identity agent), sorted by name, each once.
   */
  static List<GatewayModel.StsCluster> stsClusters(Collection<BackendModel> backends) {
    TreeMap<String, GatewayModel.StsCluster> sts = new TreeMap<>();
    for (BackendModel bm : backends) {
      Credentials creds = bm.credentials();
      if (creds instanceof Credentials.Chained ch) {
        sts.put(ch.stsCluster(), new GatewayModel.StsCluster(ch.stsCluster(), ch.stsEndpoint()));
        creds = ch.base();
      }
      if (creds instanceof Credentials.WebIdentity w) {
        sts.put(w.stsCluster(), new GatewayModel.StsCluster(w.stsCluster(), w.stsEndpoint()));
      }
      if (creds instanceof Credentials.PodIdentity p) {
        sts.put(p.cluster(), new GatewayModel.StsCluster(p.cluster(), p.agentEndpoint()));
      }
    }
    return List.copyOf(sts.values());
  }

  /** {@code base}, chained to the Backend's {@code assumeRole} when it has one. */
  private Credentials chained(BackendValidator.Resolved r, Credentials base) {
    if (r.assumeRole() == null) {
      return base;
    }
    String region = r.lambda().region();
    return new Credentials.Chained(
        base,
        r.assumeRole().roleArn(),
        r.assumeRole().roleSessionName(),
        r.assumeRole().externalId(),
        region,
        stsEndpoint(region),
        stsCluster(region));
  }

  /**
   * A Secret's keys as pushed: long-term keys exchanged for a session when {@code exchange} is on;
   * keys that already carry a session token as they are (GetSessionToken refuses session
   * credentials, and they expire anyway).
   */
  private Credentials secretCredentials(BackendValidator.Resolved r, boolean exchange) {
    Credentials.Inline keys = r.inline();
    if (!exchange || keys.sessionToken() != null) {
      return keys;
    }
    String region = r.lambda().region();
    Credentials.SecretSession source =
        new Credentials.SecretSession(keys, region, stsEndpoint(region), null);
    return source.withSession(sessions.session(source));
  }

  /** STS for {@code region}: {@code --sts-endpoint} when given, else the regional endpoint. */
  private Endpoint stsEndpoint(String region) {
    return options.stsEndpoint() != null
        ? options.stsEndpoint()
        : AwsRegion.serviceEndpoint("sts", region);
  }

  /** The Envoy cluster the filter calls STS of {@code region} through (one per region). */
  private static String stsCluster(String region) {
    return "lambdagate-sts|" + region;
  }

  private static String clusterFor(String id) {
    int slash = id.indexOf('/');
    return BackendModel.clusterName(id.substring(0, slash), id.substring(slash + 1));
  }
}
