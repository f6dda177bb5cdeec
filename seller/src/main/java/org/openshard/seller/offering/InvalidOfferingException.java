package org.openshard.seller.offering;

/** An offering failed validation. {@link #field()} names the offending field. */
public final class InvalidOfferingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidOfferingException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
