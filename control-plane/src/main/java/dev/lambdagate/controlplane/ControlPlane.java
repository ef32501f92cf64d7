package dev.lambdagate.controlplane;

import dev.lambdagate.controlplane.lambda.FunctionCheckResult;
import dev.lambdagate.controlplane.lambda.FunctionChecks;
import dev.lambdagate.controlplane.lambda.FunctionTarget;
import dev.lambdagate.controlplane.model.BackendModel;
import dev.lambdagate.controlplane.model.Credentials;
import dev.lambdagate.controlplane.model.GatewayModel;
import dev.lambdagate.controlplane.model.IncrementalModelBuilder;
import dev.lambdagate.controlplane.model.Model;
import dev.lambdagate.controlplane.model.ModelBuilder;
import dev.lambdagate.controlplane.state.ClusterState;
import dev.lambdagate.controlplane.status.DesiredStatus;
import dev.lambdagate.controlplane.status.StatusComputer;
import dev.lambdagate.controlplane.status.StatusSink;
import dev.lambdagate.controlplane.sts.SecretSessions;
import dev.lambdagate.controlplane.sts.StsCheckResult;
import dev.lambdagate.controlplane.sts.StsChecks;
import dev.lambdagate.controlplane.translate.EnvoyResources;
import dev.lambdagate.controlplane.translate.EnvoyTranslator;
import dev.lambdagate.controlplane.xds.NackListener;
import dev.lambdagate.controlplane.xds.XdsServer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The loop: a new {@link ClusterState} becomes a {@link Model}; Gateways whose model changed are
 * translated and published over ADS; status is computed (with what Envoys rejected) and handed to
 * the {@link StatusSink}. An equal model does nothing.
 */
public final class ControlPlane implements NackListener {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final IncrementalModelBuilder builder;
  private final EnvoyTranslator translator;
  private final XdsServer xds;
  private final StatusSink status;
  private ClusterState lastState;
  private Model lastModel;
  private final Map<String, GatewayModel> gatewayModels = new HashMap<>();
  private final Map<String, EnvoyResources> resources = new TreeMap<>();

  /** group -> typeUrl -> NACK detail of the version being served. */
  private final Map<String, Map<String, String>> rejections = new HashMap<>();

  private volatile Timings lastTimings;
  private StsChecks stsChecks;
  private SecretSessions sessions;
  private FunctionChecks functionChecks;

  /** Gateways whose configuration waits for STS's first answer about their Secret keys. */
  private Set<String> held = Set.of();

  /** Level of the line each change logs (debug for the cold-start warm-up's plane). */
  private volatile Level changeLogLevel = Level.INFO;

  private volatile DesiredStatus lastStatus;

  /** The model {@link #lastStatus} was computed from: what did not change is taken from it. */
  private Model lastStatusModel;

  /**
   * Where the time of the last {@link #onState} went, in nanoseconds: building the model (including
   * comparing it with the previous one), translating the changed Gateways, publishing their
   * snapshots (which also sends them to the Envoys already waiting), computing status.
   */
  public record Timings(
      long buildNanos, long translateNanos, long publishNanos, long statusNanos, int translated) {}

  public ControlPlane(
      ModelBuilder builder, EnvoyTranslator translator, XdsServer xds, StatusSink status) {
    this.builder = new IncrementalModelBuilder(builder);
    this.translator = translator;
    this.xds = xds;
    this.status = status;
  }

  /**
   * A control plane with its own ADS server, which reports ACKs and NACKs straight back to it (the
   * usual wiring; the server still has to be started).
   */
  public ControlPlane(ModelBuilder builder, EnvoyTranslator translator, StatusSink status) {
    this.builder = new IncrementalModelBuilder(builder);
    this.translator = translator;
    this.xds = new XdsServer(this);
    this.status = status;
  }

  /**
   * Logs each change and publish at debug: for a plane that serves nobody ({@link
   * ColdStartWarmup}), whose lines an operator must not mistake for a Gateway's.
   */
  void logChangesAtDebug() {
    changeLogLevel = Level.DEBUG;
    if (xds != null) {
      xds.logPublishesAtDebug();
    }
  }

  /** The ADS server this control plane publishes to (null when it has none). */
  public XdsServer xds() {
    return xds;
  }

  /** Builds, translates, publishes; returns whether anything changed. */
  public synchronized boolean onState(ClusterState state) {
    lastState = state;
    long t0 = System.nanoTime();
    Model model = builder.build(state);
    // An equal model is the last model itself (IncrementalModelBuilder).
    if (model == lastModel && held.isEmpty()) {
      if (lastStatus != null
          && !StatusComputer.gatewayParameters(lastModel, state)
              .equals(lastStatus.gatewayParameters())) {
        publishStatus(); // a GatewayParameters' keys changed where the model does not look
      }
      LOG.debug("state changed but the model did not: nothing to push");
      lastTimings = new Timings(System.nanoTime() - t0, 0, 0, 0, 0);
      return false;
    }
    long built = System.nanoTime();
    long translateNanos = 0;
    long publishNanos = 0;
    Map<String, GatewayModel> seen = new HashMap<>();
    Set<String> nowHeld = new HashSet<>();
    int translated = 0;
    for (GatewayModel g : model.gateways()) {
      seen.put(g.nodeGroup(), g);
      if (g.equals(gatewayModels.get(g.nodeGroup()))) {
        continue;
      }
      if (awaitsFirstSession(g)) {
        // Envoys keep what they have (after a restart of the control plane: the last session)
        // rather than get an unprogrammed backend for the second STS takes to answer.
        nowHeld.add(g.nodeGroup());
        continue;
      }
      logProblems(g);
      long t1 = System.nanoTime();
      EnvoyResources r = translator.translate(g);
      long t2 = System.nanoTime();
      translateNanos += t2 - t1;
      translated++;
      resources.put(g.nodeGroup(), r);
      if (xds != null) {
        xds.publish(g.nodeGroup(), r);
      }
      publishNanos += System.nanoTime() - t2;
    }
    Set<String> previous = new HashSet<>(gatewayModels.keySet());
    previous.addAll(resources.keySet());
    for (String gone : previous) {
      if (!seen.containsKey(gone)) {
        EnvoyResources empty = EnvoyResources.of(List.of(), List.of(), List.of());
        resources.remove(gone);
        rejections.remove(gone);
        translator.forget(gone);
        if (xds != null) {
          xds.publish(gone, empty);
        }
      }
    }
    gatewayModels.clear();
    gatewayModels.putAll(seen);
    nowHeld.forEach(gatewayModels::remove); // so that they are published once released
    if (!nowHeld.isEmpty() && !nowHeld.equals(held)) {
      LOG.info(
          "holding the configuration of {} until STS answers the exchange of their Secret"
              + " keys",
          nowHeld);
    }
    held = Set.copyOf(nowHeld);
    lastModel = model;
    if (stsChecks != null) {
      stsChecks.track(stsSources(model));
    }
    if (sessions != null) {
      sessions.retain(sessionSources(model));
    }
    LOG.atLevel(changeLogLevel)
        .log(
            "model: {} gateway(s), {} translated in {} ms",
            model.gateways().size(),
            translated,
            (System.nanoTime() - t0) / 1_000_000);
    long t3 = System.nanoTime();
    publishStatus();
    lastTimings =
        new Timings(built - t0, translateNanos, publishNanos, System.nanoTime() - t3, translated);
    return true;
  }

  /** What makes requests fail, once per model change (status carries the Backend's own errors). */
  private static void logProblems(GatewayModel g) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (var p : g.ports()) {
      for (var v : p.virtualHosts()) {
        for (var r : v.routes()) {
          if (r.directResponse() != null && seen.add(r.name())) {
            LOG.warn(
                "gateway {}: route {} answers 500: {}",
                g.nodeGroup(),
                r.name(),
                r.directResponse());
          }
        }
      }
    }
    for (var b : g.backends()) {
      if (!b.valid()) {
        LOG.warn("gateway {}: backend {} answers 500: {}", g.nodeGroup(), b.id(), b.error());
      }
    }
  }

  /**
   * Checks the STS credential sources of the model's Backends with {@code checks} and shows the
   * outcome on their status ({@code CredentialsReady}), updated whenever an outcome changes.
   */
  public synchronized void checkStsWith(StsChecks checks) {
    this.stsChecks = checks;
    checks.onChange(this::stsChecked);
    if (lastModel != null) {
      checks.track(stsSources(lastModel));
    }
  }

  private synchronized void stsChecked() {
    publishStatus();
  }

  /**
   * Invokes each Backend's function with a DryRun through {@code checks}, signed with the
   * credentials its proxies use, once its {@code CredentialsReady} is True (or it has none), and
   * shows the outcome on its status ({@code FunctionReady}), updated whenever an outcome changes.
   */
  public synchronized void checkFunctionsWith(FunctionChecks checks) {
    this.functionChecks = checks;
    checks.onChange(this::stsChecked);
    publishStatus();
  }

  /**
   * The {@code FunctionReady} outcome of one Gateway's backend: Unknown ({@code
   * CredentialsNotReady}) while its {@code CredentialsReady} is not True, else the DryRun's (adding
   * its target to {@code targets}, the set to check); null when functions are not checked.
   */
  static FunctionCheckResult functionOutcome(
      BackendModel b,
      StsChecks checks,
      SecretSessions sessions,
      FunctionChecks functions,
      Set<FunctionTarget> targets) {
    if (functions == null || b.lambda() == null || b.credentials() == null) {
      return null;
    }
    StsCheckResult credentials = credentialsOutcome(b.credentials(), checks, sessions);
    if (credentials != null && credentials.state() != StsCheckResult.State.ISSUED) {
      return FunctionCheckResult.unknown(
          FunctionCheckResult.CREDENTIALS_NOT_READY,
          "the function is checked once the Backend's credentials are ready (CredentialsReady: "
              + credentials.reason()
              + ")");
    }
    FunctionTarget target = new FunctionTarget(b.lambda(), b.credentials());
    targets.add(target);
    return functions.result(target);
  }

  /**
   * Pushes the session credentials {@code sessions} gets for Secrets' long-term keys (the model
   * builder must ask the same {@code sessions}): a new, refreshed or expired session rebuilds the
   * model, and the exchange's outcome shows on the Backend's {@code CredentialsReady}.
   */
  public synchronized void exchangeSecretKeysWith(SecretSessions sessions) {
    this.sessions = sessions;
    sessions.onChange(this::sessionsChanged);
    if (lastModel != null) {
      sessions.retain(sessionSources(lastModel));
    }
  }

  private synchronized void sessionsChanged() {
    if (lastState == null || !onState(lastState)) {
      publishStatus(); // only an outcome changed
    }
  }

  /**
   * Whether {@code g} uses Secret keys whose exchange STS has not answered yet (or whose session
   * has just come and is about to be built in): its configuration is held until then, which takes
   * one STS round trip (at most the exchange's timeouts).
   */
  private boolean awaitsFirstSession(GatewayModel g) {
    if (sessions == null) {
      return false;
    }
    for (var b : g.backends()) {
      Credentials c = b.valid() ? b.credentials() : null;
      if (c instanceof Credentials.Chained ch) {
        c = ch.base();
      }
      if (c instanceof Credentials.SecretSession s
          && s.session() == null
          && sessions.result(s).state() != StsCheckResult.State.REJECTED) {
        return true;
      }
    }
    return false;
  }

  /** What StsChecks checks: STS-sourced credentials, except the control plane's own sessions. */
  private static Set<Credentials> stsSources(Model model) {
    Set<Credentials> sources = new HashSet<>();
    for (GatewayModel g : model.gateways()) {
      for (var b : g.backends()) {
        Credentials c = b.valid() ? b.credentials() : null;
        Credentials base = c instanceof Credentials.Chained ch ? ch.base() : c;
        if (c == null
            || !c.fromSts()
            || c instanceof Credentials.SecretSession
            || base instanceof Credentials.SecretSession s && s.session() == null) {
          continue;
        }
        sources.add(c);
      }
    }
    return sources;
  }

  private static Set<Credentials.SecretSession> sessionSources(Model model) {
    Set<Credentials.SecretSession> sources = new HashSet<>();
    for (GatewayModel g : model.gateways()) {
      for (var b : g.backends()) {
        Credentials c = b.valid() ? b.credentials() : null;
        if (c instanceof Credentials.Chained ch) {
          c = ch.base();
        }
        if (c instanceof Credentials.SecretSession s) {
          sources.add(s.source());
        }
      }
    }
    return sources;
  }

  /**
   * EKS Pod Identity credentials come from the agent on each proxy's own node (a link-local
   * address): the control plane, on another node, cannot get them as the proxies do, so it gives no
   * verdict (Unknown), and {@code FunctionReady} waits for one (Unknown, CredentialsNotReady).
   */
  static final StsCheckResult POD_IDENTITY_UNCHECKED =
      new StsCheckResult(
          StsCheckResult.State.UNREACHABLE,
          "PodIdentityNotChecked",
          "EKS Pod Identity credentials come from the agent on each proxy's node "
              + "(169.254.170.23); the control plane cannot obtain them itself, so they are not "
              + "checked: see the proxies' lambdagate.pod_identity.call_failed metric and logs");

  /**
   * The {@code CredentialsReady} outcome of one Backend's credentials: the session exchange for
   * Secret keys (then, when chained, the AssumeRole check), or the STS check; null for none.
   */
  static StsCheckResult credentialsOutcome(
      Credentials c, StsChecks checks, SecretSessions sessions) {
    if (c instanceof Credentials.PodIdentity) {
      return checks == null ? null : POD_IDENTITY_UNCHECKED;
    }
    Credentials base = c instanceof Credentials.Chained ch ? ch.base() : c;
    if (base instanceof Credentials.SecretSession s) {
      StsCheckResult own = sessions == null ? null : sessions.result(s);
      if (own == null
          || own.state() != StsCheckResult.State.ISSUED
          || base == c
          || checks == null) {
        return own;
      }
      return checks.result(c);
    }
    return checks != null && c.fromSts() ? checks.result(c) : null;
  }

  /** Rebuilds from the last state (a web identity token changed). */
  public synchronized void refresh() {
    if (lastState != null) {
      onState(lastState);
    }
  }

  /** The status last handed to the status sink, or null before the first. */
  public DesiredStatus lastStatus() {
    return lastStatus;
  }

  /** Phase timings of the last {@link #onState}, or null before the first. */
  public Timings lastTimings() {
    return lastTimings;
  }

  public synchronized Model model() {
    return lastModel;
  }

  /** The node groups ({@code ns/name}) of the Gateways in the last model, published or held. */
  public synchronized List<String> gatewayGroups() {
    return lastModel == null
        ? List.of()
        : lastModel.gateways().stream().map(GatewayModel::nodeGroup).toList();
  }

  public synchronized Map<String, EnvoyResources> resources() {
    return Map.copyOf(resources);
  }

  private void publishStatus() {
    if (lastModel == null || status == null) {
      return;
    }
    Map<String, String> byGroup = new HashMap<>();
    rejections.forEach(
        (g, m) -> {
          if (!m.isEmpty()) {
            byGroup.put(g, String.join("; ", new TreeMap<>(m).values()));
          }
        });
    try {
      StsChecks checks = stsChecks;
      SecretSessions own = sessions;
      FunctionChecks functions = functionChecks;
      Set<FunctionTarget> targets = new HashSet<>();
      DesiredStatus desired =
          StatusComputer.compute(
                  lastModel,
                  byGroup,
                  c -> credentialsOutcome(c, checks, own),
                  b -> functionOutcome(b, checks, own, functions, targets),
                  lastStatusModel,
                  lastStatus,
                  // What the patches since the last status re-derived (null after a build).
                  builder.changedSince(lastStatusModel))
              .withGatewayParameters(StatusComputer.gatewayParameters(lastModel, lastState));
      if (functions != null) {
        // New targets are checked in the background; gone ones (a deleted or changed Backend)
        // are forgotten. Their outcome comes back through the change listener.
        functions.track(targets);
      }
      lastStatus = desired;
      lastStatusModel = lastModel;
      status.publish(desired);
    } catch (RuntimeException e) {
      LOG.error("publishing status failed: {}", e.toString());
    }
  }

  @Override
  public synchronized void onNack(String group, String typeUrl, String version, String detail) {
    if (xds != null && !version.equals(xds.version(group, typeUrl))) {
      return; // an old version; the current one is on its way
    }
    String old = rejections.computeIfAbsent(group, g -> new TreeMap<>()).put(typeUrl, detail);
    if (!detail.equals(old)) {
      publishStatus();
    }
  }

  @Override
  public synchronized void onAck(String group, String typeUrl, String version) {
    Map<String, String> m = rejections.get(group);
    if (m != null && m.remove(typeUrl) != null) {
      publishStatus();
    }
  }
}
