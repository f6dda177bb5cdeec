package org.openshard.payments.eip712;

import java.util.Objects;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.money.Usdc;

/**
 * {@code Voucher(bytes32 channelId,address payee,uint256 cumulativeAmount,uint256 sequence,bytes32
 * usageDigest)}: "this channel has authorized {@code cumulativeAmount} in total to {@code payee}".
 */
public record VoucherMessage(
    ChannelId channelId, EthAddress payee, Usdc cumulativeAmount, long sequence, Bytes32 usageDigest) {
  public VoucherMessage {
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(cumulativeAmount, "cumulativeAmount");
    Objects.requireNonNull(usageDigest, "usageDigest");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative");
    }
  }

  public TypedData typedData(Eip712Domain domain) {
    return TypedData.of(domain, "Voucher")
        .type("Voucher",
            new String[] {"channelId", "bytes32"},
            new String[] {"payee", "address"},
            new String[] {"cumulativeAmount", "uint256"},
            new String[] {"sequence", "uint256"},
            new String[] {"usageDigest", "bytes32"})
        .field("channelId", channelId.hex0x())
        .field("payee", payee.hex())
        .field("cumulativeAmount", Long.toString(cumulativeAmount.units()))
        .field("sequence", Long.toString(sequence))
        .field("usageDigest", usageDigest.hex());
  }

  /** The EIP-712 digest the per-channel key signs. */
  public byte[] digest(Eip712Domain domain) {
    return typedData(domain).digest();
  }
}
