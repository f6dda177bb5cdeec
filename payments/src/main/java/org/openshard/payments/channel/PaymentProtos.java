package org.openshard.payments.channel;

import com.google.protobuf.ByteString;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.Eip712Signature;
import org.openshard.payments.eip712.SignedChannelOpen;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ChannelOpen;
import org.openshard.proto.v1.Voucher;

/** Validating conversions between the wire messages and the typed values. */
public final class PaymentProtos {
  private PaymentProtos() {}

  /** @throws PaymentException MALFORMED / AMOUNT_OVERFLOW for any bad size, address or number */
  public static SignedVoucher voucher(Voucher p) throws PaymentException {
    ChannelId id = ChannelId.of(p.getChannelId().toByteArray());
    EthAddress payee = EthAddress.parse(p.getPayee(), "payment.voucher.payee");
    Usdc cum = Usdc.fromWire(p.getCumulativeAmount(), "payment.voucher.cumulative_amount");
    long seq = p.getSequence();
    if (seq <= 0) {
      throw new PaymentException(Reason.MALFORMED, "payment.voucher.sequence", "sequence must be in [1, 2^63-1]");
    }
    Bytes32 usage = Bytes32.of(p.getUsageDigest().toByteArray(), "payment.voucher.usage_digest");
    Eip712Signature sig = Eip712Signature.of(
        Eip712Signature.Kind.VOUCHER, p.getSignature().toByteArray(), "payment.voucher.signature");
    return new SignedVoucher(new VoucherMessage(id, payee, cum, seq, usage), sig);
  }

  public static Voucher toProto(SignedVoucher v) {
    VoucherMessage m = v.message();
    return Voucher.newBuilder()
        .setChannelId(ByteString.copyFrom(m.channelId().toBytes()))
        .setPayee(m.payee().hex())
        .setCumulativeAmount(m.cumulativeAmount().units())
        .setSequence(m.sequence())
        .setUsageDigest(ByteString.copyFrom(m.usageDigest().toBytes()))
        .setSignature(ByteString.copyFrom(v.signature().toBytes()))
        .build();
  }

  /** @throws PaymentException MALFORMED / AMOUNT_OVERFLOW for any bad size, address or number */
  public static SignedChannelOpen open(ChannelOpen p) throws PaymentException {
    ChannelId id = ChannelId.of(p.getChannelId().toByteArray());
    EthAddress signer = EthAddress.parse(p.getSigner(), "payment.open.signer");
    EthAddress payee = EthAddress.parse(p.getPayee(), "payment.open.payee");
    Usdc max = Usdc.fromWire(p.getMaxAmount(), "payment.open.max_amount");
    if (p.getExpiryUnix() <= 0) {
      throw new PaymentException(Reason.MALFORMED, "payment.open.expiry_unix", "expiry must be positive");
    }
    Eip712Signature sig = Eip712Signature.of(
        Eip712Signature.Kind.CHANNEL_OPEN, p.getSignature().toByteArray(), "payment.open.signature");
    return new SignedChannelOpen(new ChannelOpenMessage(id, signer, payee, max, p.getExpiryUnix()), sig);
  }

  public static ChannelOpen toProto(SignedChannelOpen o) {
    ChannelOpenMessage m = o.message();
    return ChannelOpen.newBuilder()
        .setChannelId(ByteString.copyFrom(m.channelId().toBytes()))
        .setSigner(m.signer().hex())
        .setPayee(m.payee().hex())
        .setMaxAmount(m.maxAmount().units())
        .setExpiryUnix(m.expiryUnix())
        .setSignature(ByteString.copyFrom(o.signature().toBytes()))
        .build();
  }
}
