package org.openshard.payments.eip712;

import java.util.Objects;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.money.Usdc;

/**
 * {@code ChannelOpen(bytes32 channelId,address signer,address payee,uint256 maxAmount,uint256
 * expiry)}: which per-channel key signs vouchers, who is paid, the deposit and the expiry.
 */
public record ChannelOpenMessage(
    ChannelId channelId, EthAddress signer, EthAddress payee, Usdc maxAmount, long expiryUnix) {
  public ChannelOpenMessage {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(maxAmount, "maxAmount");
    if (expiryUnix < 0) {
      throw new IllegalArgumentException("expiry must not be negative");
    }
  }

  public TypedData typedData(Eip712Domain domain) {
    return TypedData.of(domain, "ChannelOpen")
        .type("ChannelOpen",
            new String[] {"channelId", "bytes32"},
            new String[] {"signer", "address"},
            new String[] {"payee", "address"},
            new String[] {"maxAmount", "uint256"},
            new String[] {"expiry", "uint256"})
        .field("channelId", channelId.hex0x())
        .field("signer", signer.hex())
        .field("payee", payee.hex())
        .field("maxAmount", Long.toString(maxAmount.units()))
        .field("expiry", Long.toString(expiryUnix));
  }

  /** The EIP-712 digest the per-channel key signs. */
  public byte[] digest(Eip712Domain domain) {
    return typedData(domain).digest();
  }
}
