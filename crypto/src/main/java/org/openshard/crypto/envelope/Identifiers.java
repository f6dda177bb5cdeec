package org.openshard.crypto.envelope;

import java.util.regex.Pattern;
import org.openshard.crypto.CryptoException;

/** Syntax of the peer ids and key ids the envelope binds. */
final class Identifiers {
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern PEER_ID = Pattern.compile("0x[0-9a-f]{40}");

  private Identifiers() {}

  static boolean isKeyId(String s) {
    return s != null && KEY_ID.matcher(s).matches();
  }

  static boolean isPeerId(String s) {
    return s != null && PEER_ID.matcher(s).matches();
  }

  static String requireKeyId(String s) throws CryptoException {
    if (!isKeyId(s)) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING, "key id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    return s;
  }

  /** A peer id in canonical form: "0x" + 40 lowercase hex. */
  static String requirePeerId(String s) throws CryptoException {
    if (!isPeerId(s)) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING, "peer id must be 0x followed by 40 lowercase hex characters");
    }
    return s;
  }
}
