package org.openshard.registry.validation;

/** Size and count caps of registrations (docs/protocol.md, REG-1 .. REG-10). */
public final class Limits {
  /** A whole serialized SellerRegistration. */
  public static final int MAX_REGISTRATION_BYTES = 64 * 1024;
  /** A serialized Deregistration. */
  public static final int MAX_DEREGISTRATION_BYTES = 1024;
  /** A serialized KeyAnnouncement. */
  public static final int MAX_ANNOUNCEMENT_BYTES = 1024;
  public static final int MAX_OFFERINGS = 32;
  public static final int MAX_SERVICE_IDS_PER_OFFERING = 16;
  public static final int MAX_ENDPOINT_CHARS = 255;
  public static final int MAX_UPSTREAM_MODEL_CHARS = 256;
  /** Any price, in base units per million tokens (10^6 USDC per million tokens). */
  public static final long MAX_PRICE_PER_MILLION = 1_000_000_000_000L;

  private Limits() {}
}
