package org.openshard.payments.channel;

import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.Eip712Signature;
import org.openshard.payments.eip712.SignedChannelOpen;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.VoucherMessage;

/**
 * The per-channel secp256k1 key that signs a channel's vouchers. A fresh one is generated for every
 * channel; it is never the buyer's wallet key (the wallet only funds the escrow), so signature
 * recovery on a voucher yields an address that appears nowhere but in that channel.
 */
public final class ChannelKey {
  private final Secp256k1PrivateKey key;
  private final EthAddress address;

  private ChannelKey(Secp256k1PrivateKey key) {
    this.key = key;
    this.address = EthAddress.of(key.publicKey().ethereumAddress());
  }

  public static ChannelKey generate() {
    return new ChannelKey(Secp256k1PrivateKey.generate());
  }

  /** Restores a persisted key (32 bytes). */
  public static ChannelKey fromBytes(byte[] scalar) throws PaymentException {
    try {
      return new ChannelKey(Secp256k1PrivateKey.fromBytes(scalar));
    } catch (CryptoException e) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, "channel_key", "channel key is invalid");
    }
  }

  /** The signer address the escrow records for the channel. */
  public EthAddress address() {
    return address;
  }

  /** 32 bytes: the secret, for the buyer's 0600 state file only. */
  public byte[] toBytes() {
    return key.toBytes();
  }

  public SignedVoucher signVoucher(Eip712Domain domain, VoucherMessage voucher) {
    return new SignedVoucher(voucher, sign(Eip712Signature.Kind.VOUCHER, voucher.digest(domain)));
  }

  public SignedChannelOpen signOpen(Eip712Domain domain, ChannelOpenMessage open) {
    if (!open.signer().equals(address)) {
      throw new IllegalArgumentException("the channel open names another signer");
    }
    return new SignedChannelOpen(open, sign(Eip712Signature.Kind.CHANNEL_OPEN, open.digest(domain)));
  }

  private Eip712Signature sign(Eip712Signature.Kind kind, byte[] digest) {
    try {
      return Eip712Signature.of(kind, IdentitySignatures.signDigest(key, digest), "signature");
    } catch (PaymentException e) {
      throw new IllegalStateException("signer produced a malformed signature", e);
    }
  }

  @Override
  public String toString() {
    return "ChannelKey(" + address + ")";
  }
}
