package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;

class Secp256k1EcdsaTest {
  private static final byte[] MESSAGE = "plain ECDSA message".getBytes(StandardCharsets.UTF_8);

  /** Minimal DER INTEGER content of a positive value (leading 0 only when the top bit is set). */
  private static byte[] derInt(BigInteger v) {
    byte[] c = v.toByteArray();
    return Bytes.concat(new byte[] {0x02, (byte) c.length}, c);
  }

  private static byte[] der(BigInteger r, BigInteger s) {
    byte[] body = Bytes.concat(derInt(r), derInt(s));
    return Bytes.concat(new byte[] {0x30, (byte) body.length}, body);
  }

  private static BigInteger[] sign(Secp256k1PrivateKey key, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(key.scalar(), Secp256k1.DOMAIN));
    return signer.generateSignature(Hashes.sha256(message));
  }

  @Test
  void verifiesAndRejectsOtherMessagesAndKeys() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    BigInteger[] rs = sign(key, MESSAGE);
    byte[] sig = der(rs[0], rs[1]);
    assertTrue(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, sig));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), "other".getBytes(StandardCharsets.UTF_8), sig));
    assertFalse(Secp256k1Ecdsa.verify(Secp256k1PrivateKey.generate().publicKey(), MESSAGE, sig));
    assertFalse(Secp256k1Ecdsa.verify(null, MESSAGE, sig));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), null, sig));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, null));
  }

  @Test
  void acceptsBothLowAndHighS() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    BigInteger[] rs = sign(key, MESSAGE);
    BigInteger other = Secp256k1.N.subtract(rs[1]);
    assertTrue(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, der(rs[0], rs[1])));
    assertTrue(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, der(rs[0], other)));
  }

  @Test
  void rejectsOutOfRangeIntegers() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    BigInteger[] rs = sign(key, MESSAGE);
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, der(BigInteger.ZERO, rs[1])));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, der(rs[0], BigInteger.ZERO)));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, der(rs[0].add(Secp256k1.N), rs[1])));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, der(rs[0], rs[1].add(Secp256k1.N))));
  }

  @Test
  void rejectsBerVariantsOfAValidSignature() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    // Find a signature whose r has its top bit clear, so its minimal encoding is at most 32 bytes
    // and a padded variant exercises the leading-zero rule rather than the length limit.
    BigInteger[] rs;
    byte[] message;
    int attempt = 0;
    do {
      message = ("plain ECDSA message " + attempt++).getBytes(StandardCharsets.UTF_8);
      rs = sign(key, message);
    } while (rs[0].bitLength() > 255);
    byte[] good = der(rs[0], rs[1]);
    assertTrue(Secp256k1Ecdsa.verify(key.publicKey(), message, good));
    byte[] body = java.util.Arrays.copyOfRange(good, 2, good.length);

    // Long-form sequence length.
    byte[] longForm = Bytes.concat(new byte[] {0x30, (byte) 0x81, (byte) body.length}, body);
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), message, longForm));
    // Indefinite length with end-of-contents.
    byte[] indefinite = Bytes.concat(new byte[] {0x30, (byte) 0x80}, body, new byte[] {0, 0});
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), message, indefinite));
    // Trailing byte after the sequence.
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), message, Bytes.concat(good, new byte[] {0})));
    // Non-minimal integer: an unneeded leading zero before r.
    byte[] rMin = rs[0].toByteArray();
    byte[] rPadded = Bytes.concat(new byte[] {0x02, (byte) (rMin.length + 1), 0}, rMin);
    byte[] padded = Bytes.concat(rPadded, derInt(rs[1]));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), message, Bytes.concat(new byte[] {0x30, (byte) padded.length}, padded)));
    // Negative r: the same bytes with the sign bit set.
    byte[] rNeg = rMin.clone();
    rNeg[0] |= (byte) 0x80;
    byte[] neg = Bytes.concat(new byte[] {0x02, (byte) rNeg.length}, rNeg, derInt(rs[1]));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), message, Bytes.concat(new byte[] {0x30, (byte) neg.length}, neg)));
  }
}
