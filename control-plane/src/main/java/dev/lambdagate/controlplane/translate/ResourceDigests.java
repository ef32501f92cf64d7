package dev.lambdagate.controlplane.translate;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The digests behind {@link EnvoyResources}' versions, kept from one translation of a Gateway to
 * the next so that a change costs the digests of what changed. Each resource's digest is SHA-256 of
 * its type name and deterministic serialization (a RouteConfiguration's: of its parts, each route's
 * kept by instance, {@link TypeDigests#routeTableDigest}); a type's version is SHA-256 over the
 * digests of consecutive chunks of {@value #CHUNK} resources (each SHA-256 over its resources'
 * digests, in order), so that one changed Cluster among 10,000 hashes one chunk again, not 10,000
 * digests; the version of all is SHA-256 over the three types' versions. All are pure functions of
 * the resources in order: the same configuration has the same versions across restarts.
 *
 * <p>Not thread-safe: one translation at a time (the translator's lock).
 */
final class ResourceDigests {
  static final int CHUNK = 128;

  final TypeDigests listeners = new TypeDigests();
  final TypeDigests routes = new TypeDigests();
  final TypeDigests clusters = new TypeDigests();

  /** The digests of one type's last list, by position, and of its chunks. */
  static final class TypeDigests {
    private List<? extends Message> last = List.of();
    private byte[][] digests = new byte[0][];
    private byte[][] chunks = new byte[0][];
    private byte[] version;

    /** The version of {@code now} (32 bytes): what changed since the last list is digested. */
    byte[] version(List<? extends Message> now) {
      if (now == last && version != null) {
        return version;
      }
      int n = now.size();
      boolean samePositions = n == last.size();
      Map<Message, byte[]> byInstance = null;
      if (!samePositions) {
        byInstance = new IdentityHashMap<>(last.size() * 2);
        for (int i = 0; i < last.size(); i++) {
          byInstance.put(last.get(i), digests[i]);
        }
      }
      byte[][] d = new byte[n][];
      byte[][] c = new byte[(n + CHUNK - 1) / CHUNK][];
      boolean[] dirty = new boolean[c.length];
      for (int i = 0; i < n; i++) {
        Message m = now.get(i);
        byte[] known = samePositions ? (last.get(i) == m ? digests[i] : null) : byInstance.get(m);
        if (known == null) {
          known = m instanceof RouteConfiguration rc ? routeTableDigest(rc) : digest(m);
        }
        d[i] = known;
        if (!samePositions || known != digests[i]) {
          dirty[i / CHUNK] = true;
        }
      }
      MessageDigest all = sha256();
      for (int k = 0; k < c.length; k++) {
        if (dirty[k]) {
          MessageDigest chunk = sha256();
          for (int i = k * CHUNK; i < Math.min(n, (k + 1) * CHUNK); i++) {
            chunk.update(d[i]);
          }
          c[k] = chunk.digest();
        } else {
          c[k] = chunks[k];
        }
        all.update(c[k]);
      }
      last = now;
      digests = d;
      chunks = c;
      version = all.digest();
      int routes = 0;
      for (Message m : now) {
        if (m instanceof RouteConfiguration rc) {
          for (VirtualHost vh : rc.getVirtualHostsList()) {
            routes += vh.getRoutesCount();
          }
        }
      }
      if (routeDigests.size() > 2 * routes + 64) {
        // Mostly routes gone since: start afresh (the current ones are digested again once).
        routeDigests = new IdentityHashMap<>();
      }
      return version;
    }

    /** Digests of the Route messages of the last RouteConfigurations, by instance. */
    private Map<Route, byte[]> routeDigests = new IdentityHashMap<>();

    /**
     * The digest of a RouteConfiguration, made from the digests of its parts rather than one
     * serialization of the whole: SHA-256 of the type name, the configuration without its virtual
     * hosts, and per virtual host the host without its routes and each route's digest (SHA-256 of
     * its deterministic serialization, kept by instance: the translator hands over the same Route
     * for an unchanged route). Every field is covered, so it is as much a function of the content
     * as the serialization's digest; a change of one route among 10,000 serializes that route
     * instead of the 750 KB table.
     */
    private byte[] routeTableDigest(RouteConfiguration rc) {
      MessageDigest d = sha256();
      d.update(rc.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
      d.update(digest(rc.toBuilder().clearVirtualHosts().build()));
      for (VirtualHost vh : rc.getVirtualHostsList()) {
        d.update(digest(vh.toBuilder().clearRoutes().build()));
        for (Route r : vh.getRoutesList()) {
          byte[] rd = routeDigests.get(r);
          if (rd == null) {
            rd = digest(r);
            routeDigests.put(r, rd);
          }
          d.update(rd);
        }
      }
      return d.digest();
    }
  }

  /** SHA-256 of a resource's type name and deterministic serialization. */
  static byte[] digest(Message m) {
    MessageDigest d = sha256();
    try {
      byte[] bytes = new byte[m.getSerializedSize()];
      CodedOutputStream cos = CodedOutputStream.newInstance(bytes);
      cos.useDeterministicSerialization();
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
      d.update(m.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
      d.update(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return d.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
