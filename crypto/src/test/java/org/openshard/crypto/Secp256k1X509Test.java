package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;

class Secp256k1X509Test {
  private static byte[] spki(ASN1ObjectIdentifier alg, ASN1Encodable params, byte[] point) throws IOException {
    return new SubjectPublicKeyInfo(new AlgorithmIdentifier(alg, params), point).getEncoded(ASN1Encoding.DER);
  }

  private static void assertRejected(byte[] der) {
    CryptoException e = assertThrows(CryptoException.class, () -> Secp256k1PublicKey.fromX509(der));
    assertEquals(CryptoException.Reason.INVALID_PUBLIC_KEY, e.reason(), e.getMessage());
  }

  @Test
  void parsesNamedCurveKeysInBothPointForms() throws Exception {
    Secp256k1PublicKey k = Secp256k1PrivateKey.generate().publicKey();
    byte[] unc = spki(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1, k.uncompressed());
    byte[] cmp = spki(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1, k.compressed());
    assertEquals(88, unc.length);
    assertEquals(56, cmp.length);
    assertEquals(k, Secp256k1PublicKey.fromX509(unc));
    assertEquals(k, Secp256k1PublicKey.fromX509(cmp));
  }

  @Test
  void rejectsOtherCurvesAndAlgorithms() throws Exception {
    byte[] point = Secp256k1PrivateKey.generate().publicKey().uncompressed();
    assertRejected(spki(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1, point));
    assertRejected(spki(X9ObjectIdentifiers.id_ecPublicKey, DERNull.INSTANCE, point));
    assertRejected(spki(X9ObjectIdentifiers.id_ecPublicKey, null, point));
    assertRejected(spki(new ASN1ObjectIdentifier("1.3.101.112") /* id-Ed25519 */, SECObjectIdentifiers.secp256k1, point));
  }

  @Test
  void rejectsExplicitCurveParametersEvenForSecp256k1() throws Exception {
    X9ECParameters explicit = CustomNamedCurves.getByName("secp256k1");
    byte[] point = Secp256k1PrivateKey.generate().publicKey().uncompressed();
    assertRejected(spki(X9ObjectIdentifiers.id_ecPublicKey, explicit.toASN1Primitive(), point));
  }

  @Test
  void rejectsNonDerAndTrailingData() throws Exception {
    Secp256k1PublicKey k = Secp256k1PrivateKey.generate().publicKey();
    byte[] der = spki(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1, k.uncompressed());
    assertRejected(Bytes.concat(der, new byte[] {0}));
    // Same content with a long-form outer length (81 56 instead of 56): valid BER, not DER.
    byte[] longForm = Bytes.concat(new byte[] {0x30, (byte) 0x81}, java.util.Arrays.copyOfRange(der, 1, der.length));
    assertRejected(longForm);
    assertRejected(java.util.Arrays.copyOf(der, der.length - 1));
    assertRejected(new byte[0]);
    assertRejected(null);
  }

  @Test
  void rejectsBitStringWithUnusedBitsAndExtraElements() throws Exception {
    Secp256k1PublicKey k = Secp256k1PrivateKey.generate().publicKey();
    AlgorithmIdentifier alg = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1);
    byte[] padded = new DERSequence(new ASN1Encodable[] {alg, new DERBitString(k.uncompressed(), 1)}).getEncoded(ASN1Encoding.DER);
    assertRejected(padded);
    byte[] extra = new DERSequence(new ASN1Encodable[] {alg, new DERBitString(k.uncompressed()), DERNull.INSTANCE})
        .getEncoded(ASN1Encoding.DER);
    assertRejected(extra);
  }

  @Test
  void rejectsInvalidPointInsideValidStructure() throws Exception {
    byte[] point = Secp256k1PrivateKey.generate().publicKey().uncompressed();
    point[64] ^= 0x01;
    assertRejected(spki(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1, point));
  }
}
