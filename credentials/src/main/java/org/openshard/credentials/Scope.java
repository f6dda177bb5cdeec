package org.openshard.credentials;

import java.nio.charset.StandardCharsets;
import org.openshard.proto.v1.NullifierScope;

/**
 * What a nullifier is scoped to: (seller id, nullifier epoch, slot). One credential has K slots per
 * seller per epoch, hence at most K unlinkable sessions with one seller in one epoch. Immutable.
 */
public final class Scope {
  /** Longest seller id accepted, in UTF-8 bytes (peer ids are 42 characters). */
  public static final int MAX_SELLER_ID_BYTES = 128;

  private final String sellerId;
  private final long epoch;
  private final int slot;

  private Scope(String sellerId, long epoch, int slot) {
    this.sellerId = sellerId;
    this.epoch = epoch;
    this.slot = slot;
  }

  /**
   * @throws CredentialException INVALID_ARGUMENT if the seller id is empty or too long, or the epoch
   *     or slot is negative
   */
  public static Scope of(String sellerId, long epoch, int slot) throws CredentialException {
    if (sellerId == null || sellerId.isEmpty()) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "zk_proof.scope.seller_id", "seller id is missing");
    }
    if (sellerId.getBytes(StandardCharsets.UTF_8).length > MAX_SELLER_ID_BYTES) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT,
          "zk_proof.scope.seller_id",
          "seller id is longer than " + MAX_SELLER_ID_BYTES + " bytes");
    }
    if (epoch < 0) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "zk_proof.scope.epoch", "epoch is out of range");
    }
    if (slot < 0) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "zk_proof.scope.slot", "slot is out of range");
    }
    return new Scope(sellerId, epoch, slot);
  }

  /** From the wire; uint64 epochs ≥ 2^63 and uint32 slots ≥ 2^31 are rejected as out of range. */
  public static Scope fromProto(NullifierScope p) throws CredentialException {
    if (p == null) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "zk_proof.scope", "scope is missing");
    }
    return of(p.getSellerId(), p.getEpoch(), p.getSlot());
  }

  public NullifierScope toProto() {
    return NullifierScope.newBuilder().setSellerId(sellerId).setEpoch(epoch).setSlot(slot).build();
  }

  /** {@code lp(utf8(seller_id)) || u64(epoch) || u32(slot)}: the hash-to-curve input (CRED-4). */
  public byte[] encode() {
    return Encoding.create(64).lp(sellerId).u64(epoch).u32(slot).toByteArray();
  }

  public String sellerId() {
    return sellerId;
  }

  public long epoch() {
    return epoch;
  }

  public int slot() {
    return slot;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Scope)) {
      return false;
    }
    Scope s = (Scope) o;
    return sellerId.equals(s.sellerId) && epoch == s.epoch && slot == s.slot;
  }

  @Override
  public int hashCode() {
    return (sellerId.hashCode() * 31 + Long.hashCode(epoch)) * 31 + slot;
  }

  @Override
  public String toString() {
    return "Scope(" + sellerId + ", epoch " + epoch + ", slot " + slot + ")";
  }
}
