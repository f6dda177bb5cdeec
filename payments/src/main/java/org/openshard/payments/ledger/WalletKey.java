package org.openshard.payments.ledger;

import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;

/**
 * A wallet key that funds escrow deposits (buyer) or submits claims (seller). It only ever signs
 * transactions to the ledger; it never signs vouchers (that is {@code ChannelKey}'s job) and its
 * address must never be sent to a seller.
 */
public final class WalletKey {
  private final Secp256k1PrivateKey key;
  private final EthAddress address;

  private WalletKey(Secp256k1PrivateKey key) {
    this.key = key;
    this.address = EthAddress.of(key.publicKey().ethereumAddress());
  }

  public static WalletKey generate() {
    return new WalletKey(Secp256k1PrivateKey.generate());
  }

  public static WalletKey fromBytes(byte[] scalar) throws PaymentException {
    try {
      return new WalletKey(Secp256k1PrivateKey.fromBytes(scalar));
    } catch (CryptoException e) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, "wallet_key", "wallet key is invalid");
    }
  }

  public EthAddress address() {
    return address;
  }

  /** For the chain client (transaction signing) only. */
  public Secp256k1PrivateKey privateKey() {
    return key;
  }

  @Override
  public String toString() {
    return "WalletKey(" + address + ")";
  }
}
