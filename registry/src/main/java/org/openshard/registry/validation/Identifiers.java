package org.openshard.registry.validation;

import java.util.regex.Pattern;

/** The identifier grammars of the registry contract (docs/protocol.md, section 7). */
public final class Identifiers {
  /** Peer ids: Ethereum addresses, lowercase, 0x-prefixed. */
  public static final Pattern PEER_ID = Pattern.compile("0x[0-9a-f]{40}");
  /** Service ids: 1..128 of [A-Za-z0-9._:/-]. */
  public static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  /** Offering ids: [a-z0-9][a-z0-9._-]{0,63}. */
  public static final Pattern OFFERING_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  /** Encryption key ids: 1..64 of [A-Za-z0-9._-]. */
  public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Any-case 0x address (payment terms). */
  public static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private Identifiers() {}

  public static boolean isPeerId(String s) {
    return s != null && s.length() == 42 && PEER_ID.matcher(s).matches();
  }

  public static boolean isServiceId(String s) {
    return s != null && !s.isEmpty() && s.length() <= 128 && SERVICE_ID.matcher(s).matches();
  }

  /** For messages: the value if short and printable, else a placeholder (never echo garbage). */
  public static String quote(String s) {
    if (s == null) {
      return "(missing)";
    }
    if (s.length() > 64) {
      return "(" + s.length() + " characters)";
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return "(non-printable)";
      }
    }
    return "'" + s + "'";
  }
}
