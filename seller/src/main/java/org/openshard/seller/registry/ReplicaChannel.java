package org.openshard.seller.registry;

import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.openshard.runtime.ListenAddress;

/**
 * One gRPC channel over the replicas of one registry (several {@code RegistryServer}s sharing a
 * Redis store): {@code pick_first} over the addresses in order, so calls and the heartbeat stream
 * go to the first replica that accepts connections and move to the next when it goes away. The
 * heartbeat token stays valid across replicas because they share the store.
 */
public final class ReplicaChannel {
  static final String SCHEME = "openshard-replicas";

  private ReplicaChannel() {}

  /** True if {@code target} names a replica group: {@code host:port,host:port[,…]}. */
  public static boolean isGroup(String target) {
    return target.indexOf(',') >= 0;
  }

  /** Parses {@code host:port,host:port[,…]} into its addresses, in order. */
  public static List<String> members(String group) {
    List<String> out = new ArrayList<>();
    for (String p : group.split(",")) {
      String t = p.trim();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("empty member in registry replica group '" + group + "'");
      }
      ListenAddress.parse(t); // validates host:port
      out.add(t);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("registry replica group '" + group + "' names no address");
    }
    return out;
  }

  /** A plaintext channel over the replicas of {@code group} ({@code host:port,host:port[,…]}). */
  @SuppressWarnings("deprecation") // nameResolverFactory: the per-channel way to give a static address list
  public static ManagedChannel open(String group) {
    List<String> members = members(group);
    List<EquivalentAddressGroup> addresses = new ArrayList<>();
    for (String m : members) {
      ListenAddress a = ListenAddress.parse(m);
      SocketAddress sa = new InetSocketAddress(a.host(), a.port());
      addresses.add(new EquivalentAddressGroup(sa));
    }
    NameResolver.Factory factory =
        new NameResolver.Factory() {
          @Override
          public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            if (!SCHEME.equals(targetUri.getScheme())) {
              return null;
            }
            return new NameResolver() {
              @Override
              public String getServiceAuthority() {
                return "registry";
              }

              @Override
              public void start(Listener2 listener) {
                listener.onResult(ResolutionResult.newBuilder().setAddresses(addresses).build());
              }

              @Override
              public void refresh() {}

              @Override
              public void shutdown() {}
            };
          }

          @Override
          public String getDefaultScheme() {
            return SCHEME;
          }
        };
    return NettyChannelBuilder.forTarget(SCHEME + ":///registry")
        .nameResolverFactory(factory)
        .defaultLoadBalancingPolicy("pick_first")
        .usePlaintext()
        .build();
  }
}
