package org.openshard.buyer.credential;

import io.grpc.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openshard.buyer.envelope.CredentialProver;

/**
 * The buyer's credential at run time: enrols its anchor at the registry, keeps the latest anchor
 * set that contains it, and proves ring membership for envelopes.
 */
public interface CredentialService extends CredentialProver, AutoCloseable {
  /** Enrols the anchor and starts following the registry's anchor sets (returns at once). */
  default void start(Channel registry) {
    start(List.of(registry));
  }

  /**
   * Like {@link #start(Channel)} with replicas of one registry: a call that fails moves to the
   * next replica, so enrolment and anchor-set polling survive losing one.
   */
  void start(List<Channel> registryReplicas);

  /** Completes once an anchor set containing the buyer's anchor is known (proofs can be made). */
  CompletableFuture<Void> ready();

  @Override
  void close();
}
