package org.openshard.payments;

import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;

/** A payment channel id: 32 random bytes chosen by the buyer. Immutable. */
public final class ChannelId {
  private final byte[] id;

  private ChannelId(byte[] id) {
    this.id = id;
  }

  /** 32 bytes from SecureRandom. */
  public static ChannelId random() {
    return new ChannelId(SecureRandoms.bytes(32));
  }

  /** @throws PaymentException MALFORMED unless exactly 32 bytes */
  public static ChannelId of(byte[] b) throws PaymentException {
    if (b == null || b.length != 32) {
      throw new PaymentException(
          PaymentException.Reason.MALFORMED, "channel_id", "channel_id must be 32 bytes, was " + (b == null ? 0 : b.length));
    }
    return new ChannelId(b.clone());
  }

  public static ChannelId fromHex(String hex) throws PaymentException {
    try {
      return of(Bytes.fromHex(hex));
    } catch (CryptoException e) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, "channel_id", "channel_id is not hex");
    }
  }

  public byte[] toBytes() {
    return id.clone();
  }

  /** 64 lowercase hex characters, no prefix (file and key names). */
  public String hex() {
    return Bytes.hex(id);
  }

  /** "0x" + 64 hex (EIP-712 / JSON-RPC). */
  public String hex0x() {
    return "0x" + Bytes.hex(id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelId && Arrays.equals(((ChannelId) o).id, id);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(id);
  }

  @Override
  public String toString() {
    return "ChannelId(" + hex().substring(0, 16) + "…)";
  }
}
