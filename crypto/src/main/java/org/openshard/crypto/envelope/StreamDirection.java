package org.openshard.crypto.envelope;

/** The two directions of a session's encrypted stream; each has its own key (STR-1). */
public enum StreamDirection {
  /** Responses: the seller seals, the buyer opens. */
  SELLER_TO_BUYER("seller-to-buyer"),
  /** Requests after the envelope (reserved; no v1 frame carries them yet). */
  BUYER_TO_SELLER("buyer-to-seller");

  private final String label;

  StreamDirection(String label) {
    this.label = label;
  }

  /** The ASCII label bound into the key derivation and every chunk's associated data. */
  public String label() {
    return label;
  }
}
