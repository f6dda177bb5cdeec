package org.openshard.payments.eip712;

import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;

/** A voucher and its per-channel-key signature (always of kind VOUCHER). */
public record SignedVoucher(VoucherMessage message, Eip712Signature signature) {
  public SignedVoucher {
    if (signature.kind() != Eip712Signature.Kind.VOUCHER) {
      throw new IllegalArgumentException("a voucher needs a VOUCHER signature, got " + signature.kind());
    }
  }

  /** Checks the signature recovers {@code expectedSigner} under {@code domain}. */
  public void verify(Eip712Domain domain, EthAddress expectedSigner) throws PaymentException {
    EthAddress recovered = signature.recover(message.digest(domain));
    if (!recovered.equals(expectedSigner)) {
      throw new PaymentException(
          PaymentException.Reason.BAD_SIGNATURE, "payment.voucher.signature", "voucher is not signed by the channel's signer");
    }
  }

  /** Same amount, sequence, digest and signature: a resend of this voucher. */
  public boolean sameAs(SignedVoucher o) {
    return o != null && message.equals(o.message) && signature.equals(o.signature);
  }
}
