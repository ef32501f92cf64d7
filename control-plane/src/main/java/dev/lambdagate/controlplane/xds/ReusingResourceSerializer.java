package dev.lambdagate.controlplane.xds;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes each xDS resource once, not once per response and proxy, and a route table from the
 * bytes of its routes.
 *
 * <p>java-control-plane's default serializer packs every resource of every response afresh: a
 * state-of-the-world push of a Backend change serialized all 10,000 Clusters again (7 MB), each
 * proxy of a Gateway paid the same again, and a route change serialized the whole 750 KB route
 * table. Here:
 *
 * <ul>
 *   <li>A resource's {@link Any} is kept by instance (weak keys: it goes with the resource, which
 *       the snapshots hold while it is current). The translator hands out the same instance for an
 *       unchanged resource, so it is serialized once, whatever the number of pushes and proxies.
 *   <li>A {@link RouteConfiguration} is put together from its routes' serialized bytes, kept by
 *       {@link Route} instance (the translator keeps the instance of an unchanged route), in a
 *       {@link ByteString} rope: a route change serializes that route, not its 10,000 neighbours.
 *       The bytes are those {@link Message#toByteString()} writes (fields in number order, checked
 *       by the tests), so a proxy cannot tell the difference.
 * </ul>
 *
 * <p>Thread-safe: the caches are concurrent; the publishing thread and gRPC's threads call it.
 */
public final class ReusingResourceSerializer implements ProtoResourcesSerializer {
  private static final String ROUTE_CONFIGURATION_TYPE_URL =
      "type.googleapis.com/" + RouteConfiguration.getDescriptor().getFullName();

  private final Cache<Message, Any> packed = CacheBuilder.newBuilder().weakKeys().build();

  /** A route's {@code VirtualHost.routes} field: tag, length and the route's bytes. */
  private final Cache<Route, ByteString> routeFields = CacheBuilder.newBuilder().weakKeys().build();

  @Override
  public Any serialize(Message resource, Resources.ApiVersion apiVersion) {
    return packed
        .asMap()
        .computeIfAbsent(
            resource,
            r ->
                r instanceof RouteConfiguration rc
                    ? Any.newBuilder()
                        .setTypeUrl(ROUTE_CONFIGURATION_TYPE_URL)
                        .setValue(routeConfigurationBytes(rc))
                        .build()
                    : Any.pack(r));
  }

  /** The bytes of {@code rc}, equal to {@code rc.toByteString()}, from the routes' kept bytes. */
  ByteString routeConfigurationBytes(RouteConfiguration rc) {
    List<ByteString> parts = new ArrayList<>();
    Message[] outer = split(rc, RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER);
    parts.add(outer[0].toByteString());
    for (VirtualHost vh : rc.getVirtualHostsList()) {
      Message[] inner = split(vh, VirtualHost.ROUTES_FIELD_NUMBER);
      List<ByteString> host = new ArrayList<>(vh.getRoutesCount() + 2);
      host.add(inner[0].toByteString());
      for (Route route : vh.getRoutesList()) {
        host.add(routeFields.asMap().computeIfAbsent(route, ReusingResourceSerializer::routeField));
      }
      host.add(inner[1].toByteString());
      ByteString hostBytes = ByteString.copyFrom(host); // a rope: nothing copied but small leaves
      parts.add(tagAndLength(RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER, hostBytes.size()));
      parts.add(hostBytes);
    }
    parts.add(outer[1].toByteString());
    return ByteString.copyFrom(parts);
  }

  /**
   * {@code m} without the fields from {@code field} on, and without the fields up to it: what a
   * serialization writes before and after that repeated field (generated code writes fields in
   * number order, unknown fields last).
   */
  private static Message[] split(Message m, int field) {
    Message.Builder before = m.toBuilder();
    Message.Builder after = m.toBuilder();
    for (FieldDescriptor fd : m.getDescriptorForType().getFields()) {
      if (fd.getNumber() >= field) {
        before.clearField(fd);
      }
      if (fd.getNumber() <= field) {
        after.clearField(fd);
      }
    }
    before.setUnknownFields(UnknownFieldSet.getDefaultInstance());
    return new Message[] {before.build(), after.build()};
  }

  private static ByteString routeField(Route route) {
    byte[] b =
        new byte[CodedOutputStream.computeMessageSize(VirtualHost.ROUTES_FIELD_NUMBER, route)];
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    try {
      out.writeMessage(VirtualHost.ROUTES_FIELD_NUMBER, route);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an array that is too small: a bug here
    }
    out.checkNoSpaceLeft();
    return UnsafeByteOperations.unsafeWrap(b); // never written again
  }

  private static ByteString tagAndLength(int field, int length) {
    byte[] b =
        new byte
            [CodedOutputStream.computeTagSize(field)
                + CodedOutputStream.computeUInt32SizeNoTag(length)];
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    try {
      out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.checkNoSpaceLeft();
    return UnsafeByteOperations.unsafeWrap(b);
  }
}
