package org.openshard.crypto.envelope;

import org.openshard.crypto.AesGcm;

/**
 * The randomness of one sealing, injected only by the known-answer tests in this package
 * ({@link EnvelopeSealer#sealForTesting}). Production sealing draws all of it from SecureRandoms.
 */
final class SealingInputs {
  final byte[] ephemeralPrivateKey;
  final byte[] sessionKey;
  final byte[] sessionId;
  final byte[] sessionKeyNonce;
  final byte[] queryNonce;

  SealingInputs(
      byte[] ephemeralPrivateKey, byte[] sessionKey, byte[] sessionId, byte[] sessionKeyNonce, byte[] queryNonce) {
    check(ephemeralPrivateKey, 32, "ephemeral private key");
    check(sessionKey, EnvelopeFields.SESSION_KEY_BYTES, "session key");
    check(sessionId, EnvelopeFields.SESSION_ID_BYTES, "session id");
    check(sessionKeyNonce, AesGcm.NONCE_BYTES, "session key nonce");
    check(queryNonce, AesGcm.NONCE_BYTES, "query nonce");
    this.ephemeralPrivateKey = ephemeralPrivateKey.clone();
    this.sessionKey = sessionKey.clone();
    this.sessionId = sessionId.clone();
    this.sessionKeyNonce = sessionKeyNonce.clone();
    this.queryNonce = queryNonce.clone();
  }

  private static void check(byte[] b, int length, String what) {
    if (b == null || b.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes");
    }
  }
}
