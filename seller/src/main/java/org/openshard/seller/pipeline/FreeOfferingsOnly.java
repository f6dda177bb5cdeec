package org.openshard.seller.pipeline;

import org.openshard.proto.v1.ErrorCode;

/**
 * The payment gate used until payment channels are wired in: offerings priced at zero are served
 * for free; a priced offering is refused with PAYMENT_UNSUPPORTED.
 */
public final class FreeOfferingsOnly implements PaymentGate {
  @Override
  public Charge authorize(PaymentContext context) throws StageException {
    if (context.offering().pricing().isFree()) {
      return Charge.free();
    }
    throw StageException.of(
        ErrorCode.PAYMENT_UNSUPPORTED,
        "offering '" + context.offering().id()
            + "' is priced and this seller does not accept payments yet; only zero-priced offerings are served");
  }
}
