package dev.lambdagate.controlplane.provision;

import dev.lambdagate.controlplane.model.GatewayOwnership;
import dev.lambdagate.controlplane.state.WebIdentityTokenSource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WebIdentityTokenSource} minting ServiceAccount tokens with the TokenRequest API (audience
 * {@value #AUDIENCE}) for the ServiceAccounts handed to {@link #track} that lambdagate created for
 * a proxy ({@link GatewayOwnership#isProxyServiceAccount}) and that carry {@value
 * #ROLE_ARN_ANNOTATION}. Any other account is refused here as well as by the caller: a Gateway
 * named like an application's IRSA account must not get that account's token. A token is renewed at
 * 80 % of its lifetime; a failed request is retried with exponential backoff (1 s doubling to 5
 * min) while the old token, if still valid, keeps being served. Each new token calls the listener
 * (translation runs again and pushes it). Tokens are never logged.
 *
 * <p>EKS Pod Identity tokens (audience {@value #POD_IDENTITY_AUDIENCE}) are minted the same way for
 * the same kind of account — one lambdagate created — but on demand: nothing on a ServiceAccount
 * says it has a Pod Identity association, so the first {@link #podIdentityToken} call for a tracked
 * proxy account starts minting (and answers empty until the listener says a token is there). They
 * are dropped with the account.
 */
public final class TokenRequestTokenSource implements WebIdentityTokenSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRequestTokenSource.class);
  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
  public static final String AUDIENCE = "sts.amazonaws.com";
  public static final String POD_IDENTITY_AUDIENCE = "pods.eks.amazonaws.com";
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private record Minted(String token, Instant expires, Instant renewAt) {}

  private final class Entry {
    final String namespace;
    final String name;
    final String audience;
    volatile Minted minted;
    volatile ScheduledFuture<?> next;
    Duration backoff = FIRST_BACKOFF;

    Entry(String namespace, String name, String audience) {
      this.namespace = namespace;
      this.name = name;
      this.audience = audience;
    }

    String key() {
      return TokenRequestTokenSource.key(audience, namespace, name);
    }
  }

  private static String key(String audience, String namespace, String name) {
    return audience + " " + namespace + "/" + name;
  }

  private final KubernetesClient client;
  private final Duration lifetime;
  private final Runnable listener;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  /** {@code ns/name} of the proxy accounts last tracked: those that may get Pod Identity tokens. */
  private volatile Set<String> proxyAccounts = Set.of();

  /** Accounts already warned about (so a refusal is logged once, not on every state). */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  /**
   * @param lifetime requested token lifetime (the API server may shorten it; at least 10 min)
   * @param listener called after each new token, from the source's own thread
   */
  public TokenRequestTokenSource(KubernetesClient client, Duration lifetime, Runnable listener) {
    this(client, lifetime, listener, Clock.systemUTC());
  }

  TokenRequestTokenSource(
      KubernetesClient client, Duration lifetime, Runnable listener, Clock clock) {
    this.client = client;
    this.lifetime = lifetime;
    this.listener = listener;
    this.clock = clock;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambdagate-tokens");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Tokens are kept for exactly the given ServiceAccounts that lambdagate created and that carry
   * {@value #ROLE_ARN_ANNOTATION}: new ones get a token now, dropped ones lose theirs. Thread-safe
   * against the source's own thread; called from one thread at a time.
   */
  public void track(Collection<ServiceAccount> serviceAccounts) {
    if (closed) {
      return;
    }
    Set<String> keep = new HashSet<>();
    Set<String> proxies = new HashSet<>();
    for (ServiceAccount sa : serviceAccounts) {
      if (!GatewayOwnership.isProxyServiceAccount(sa)) {
        if (refused.add(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName())) {
          LOG.warn(
              "not minting tokens for ServiceAccount {}/{}: lambdagate did not create it",
              sa.getMetadata().getNamespace(),
              sa.getMetadata().getName());
        }
        continue;
      }
      refused.remove(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName());
      String account = sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName();
      proxies.add(account);
      keep.add(
          key(POD_IDENTITY_AUDIENCE, sa.getMetadata().getNamespace(), sa.getMetadata().getName()));
      Map<String, String> annotations = sa.getMetadata().getAnnotations();
      if (annotations == null || annotations.get(ROLE_ARN_ANNOTATION) == null) {
        continue;
      }
      String ns = sa.getMetadata().getNamespace();
      String name = sa.getMetadata().getName();
      String key = key(AUDIENCE, ns, name);
      keep.add(key);
      start(new Entry(ns, name, AUDIENCE));
    }
    proxyAccounts = Set.copyOf(proxies);
    entries
        .entrySet()
        .removeIf(
            e -> {
              if (keep.contains(e.getKey())) {
                return false;
              }
              ScheduledFuture<?> f = e.getValue().next;
              if (f != null) {
                f.cancel(false);
              }
              LOG.info("no longer minting tokens for ServiceAccount {}", e.getKey());
              return true;
            });
  }

  /** Starts minting for {@code e} unless its account and audience already have an entry. */
  private void start(Entry e) {
    if (!closed && entries.putIfAbsent(e.key(), e) == null) {
      // Scheduled only once the entry is visible: mint() checks it is still tracked.
      e.next = executor.schedule(() -> mint(e), 0, TimeUnit.MILLISECONDS);
    }
  }

  private void mint(Entry e) {
    if (closed || entries.get(e.key()) != e) {
      return;
    }
    requests.incrementAndGet();
    try {
      TokenRequest request =
          new TokenRequestBuilder()
              .withNewSpec()
              .withAudiences(e.audience)
              .withExpirationSeconds(lifetime.toSeconds())
              .endSpec()
              .build();
      TokenRequest response =
          client.serviceAccounts().inNamespace(e.namespace).withName(e.name).tokenRequest(request);
      String token =
          response == null || response.getStatus() == null ? null : response.getStatus().getToken();
      if (token == null || token.isEmpty()) {
        throw new IllegalStateException("TokenRequest returned no token");
      }
      Instant now = clock.instant();
      Instant expires = parse(response.getStatus().getExpirationTimestamp(), now.plus(lifetime));
      Duration valid = Duration.between(now, expires);
      if (valid.isNegative()) {
        valid = Duration.ZERO;
      }
      Duration renewIn = Duration.ofMillis(Math.max(1000, valid.toMillis() * 8 / 10));
      e.minted = new Minted(token, expires, now.plus(renewIn));
      e.backoff = FIRST_BACKOFF;
      e.next = executor.schedule(() -> mint(e), renewIn.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info(
          "{} token for ServiceAccount {}/{} valid until {}, renewal in {} s",
          e.audience,
          e.namespace,
          e.name,
          expires,
          renewIn.toSeconds());
    } catch (RuntimeException ex) {
      Duration wait = e.backoff;
      e.backoff =
          wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
      LOG.warn(
          "TokenRequest ({}) for ServiceAccount {}/{} failed ({}), retrying in {} ms",
          e.audience,
          e.namespace,
          e.name,
          ex.getClass().getSimpleName() + ": " + ex.getMessage(),
          wait.toMillis());
      e.next = executor.schedule(() -> mint(e), wait.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    try {
      listener.run();
    } catch (RuntimeException ex) {
      LOG.error("token listener failed", ex);
    }
  }

  private static Instant parse(String timestamp, Instant fallback) {
    if (timestamp == null || timestamp.isBlank()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  @Override
  public Optional<String> token(String namespace, String serviceAccount) {
    return valid(entries.get(key(AUDIENCE, namespace, serviceAccount)));
  }

  /**
   * The Pod Identity token of a tracked proxy account; the first call for one starts minting it.
   */
  @Override
  public Optional<String> podIdentityToken(String namespace, String serviceAccount) {
    Entry e = entries.get(key(POD_IDENTITY_AUDIENCE, namespace, serviceAccount));
    if (e == null && proxyAccounts.contains(namespace + "/" + serviceAccount)) {
      LOG.info(
          "minting EKS Pod Identity tokens for ServiceAccount {}/{}", namespace, serviceAccount);
      start(new Entry(namespace, serviceAccount, POD_IDENTITY_AUDIENCE));
      return Optional.empty();
    }
    return valid(e);
  }

  private Optional<String> valid(Entry e) {
    Minted m = e == null ? null : e.minted;
    if (m == null || !m.expires().isAfter(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(m.token());
  }

  /**
   * When the web identity token of {@code namespace/serviceAccount} is due for renewal, if held.
   */
  public Optional<Instant> renewalAt(String namespace, String serviceAccount) {
    Entry e = entries.get(key(AUDIENCE, namespace, serviceAccount));
    Minted m = e == null ? null : e.minted;
    return m == null ? Optional.empty() : Optional.of(m.renewAt());
  }

  /** TokenRequests sent (successful or not). */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    entries.clear();
  }
}
