package org.openshard.testing;

import java.time.Instant;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.EnvelopeSealer;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.SellerEncryptionKey;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.SealedQuery;

/** Real envelope sessions for tests of the buyer's and the seller's session tables. */
public final class TestSessions {
  private TestSessions() {}

  /**
   * The session resumption of a new envelope carrying {@code query}, sealed to a fresh X25519 key
   * of a fresh seller identity (valid from a minute ago for an hour): distinct secrets every call.
   */
  public static SessionResumption freshResumption(SealedQuery query) throws CryptoException {
    Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
    Instant now = Instant.now();
    SellerEncryptionKey key =
        SellerEncryptionKey.generate(
            CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM, "k1", now.minusSeconds(60), now.plusSeconds(3600));
    var verified = KeyAnnouncements.verify(KeyAnnouncements.sign(identity, key), identity.publicKey().ethereumAddress(), now);
    return EnvelopeSealer.seal(verified, query, now).session().resumption();
  }
}
