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
    BigInteger[] rs = sign(key, MESSAGE);
    byte[] good = der(rs[0], rs[1]);
    assertTrue(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, good));
    byte[] body = java.util.Arrays.copyOfRange(good, 2, good.length);

    // Long-form sequence length.
    byte[] longForm = Bytes.concat(new byte[] {0x30, (byte) 0x81, (byte) body.length}, body);
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, longForm));
    // Indefinite length with end-of-contents.
    byte[] indefinite = Bytes.concat(new byte[] {0x30, (byte) 0x80}, body, new byte[] {0, 0});
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, indefinite));
    // Trailing byte after the sequence.
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, Bytes.concat(good, new byte[] {0})));
    // Non-minimal integer: an extra leading zero before r.
    byte[] rPadded = Bytes.concat(new byte[] {0x02, (byte) (Secp256k1.to32Bytes(rs[0]).length + 1), 0}, Secp256k1.to32Bytes(rs[0]));
    byte[] padded = Bytes.concat(rPadded, derInt(rs[1]));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, Bytes.concat(new byte[] {0x30, (byte) padded.length}, padded)));
    // Negative r: drop the sign byte if r has its top bit set, else set it.
    byte[] r32 = Secp256k1.to32Bytes(rs[0]);
    r32[0] |= (byte) 0x80;
    byte[] neg = Bytes.concat(new byte[] {0x02, 32}, r32, derInt(rs[1]));
    assertFalse(Secp256k1Ecdsa.verify(key.publicKey(), MESSAGE, Bytes.concat(new byte[] {0x30, (byte) neg.length}, neg)));
  }
}
