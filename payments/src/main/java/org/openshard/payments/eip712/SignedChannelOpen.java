package org.openshard.payments.eip712;

import org.openshard.payments.PaymentException;

/** A channel-open authorization and the per-channel key's signature over it (kind CHANNEL_OPEN). */
public record SignedChannelOpen(ChannelOpenMessage message, Eip712Signature signature) {
  public SignedChannelOpen {
    if (signature.kind() != Eip712Signature.Kind.CHANNEL_OPEN) {
      throw new IllegalArgumentException("a channel open needs a CHANNEL_OPEN signature, got " + signature.kind());
    }
  }

  /** Checks the signature recovers the message's own {@code signer} (proof of possession). */
  public void verify(Eip712Domain domain) throws PaymentException {
    if (!signature.recover(message.digest(domain)).equals(message.signer())) {
      throw new PaymentException(
          PaymentException.Reason.BAD_SIGNATURE, "payment.open.signature", "channel open is not signed by its signer key");
    }
  }
}
