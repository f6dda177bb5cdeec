package org.openshard.crypto;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Strict parser for X.509 SubjectPublicKeyInfo carrying a secp256k1 key (RFC 5480).
 *
 * <p>Accepted form only: DER (re-encoding must reproduce the input byte for byte), {@code
 * SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve secp256k1 }, BIT STRING (0 unused bits) }},
 * whose bit string is a SEC1 point that {@link Secp256k1#decodePoint} accepts. Explicit curve
 * parameters, other curves, implicitlyCA (NULL) and BER variants are rejected.
 */
final class X509EcPublicKeys {
  /** A compressed SPKI is 56 bytes and an uncompressed one 88; anything much larger is not ours. */
  private static final int MAX_ENCODED_BYTES = 128;

  private X509EcPublicKeys() {}

  static byte[] secp256k1PointFromSpki(byte[] der) throws CryptoException {
    if (der == null || der.length == 0) {
      throw invalid("X.509 public key is missing");
    }
    if (der.length > MAX_ENCODED_BYTES) {
      throw invalid("X.509 public key is " + der.length + " bytes; a named-curve secp256k1 key is at most 88");
    }
    ASN1Primitive top;
    try {
      top = ASN1Primitive.fromByteArray(der);
      if (!Arrays.equals(top.getEncoded(ASN1Encoding.DER), der)) {
        throw invalid("X.509 public key is not DER encoded");
      }
    } catch (IOException | RuntimeException e) {
      throw invalid("X.509 public key is not valid ASN.1");
    }
    if (!(top instanceof ASN1Sequence) || ((ASN1Sequence) top).size() != 2) {
      throw invalid("SubjectPublicKeyInfo must be a SEQUENCE of 2 elements");
    }
    ASN1Sequence spki = (ASN1Sequence) top;
    ASN1Encodable algPart = spki.getObjectAt(0);
    ASN1Encodable keyPart = spki.getObjectAt(1);
    if (!(algPart instanceof ASN1Sequence) || ((ASN1Sequence) algPart).size() != 2) {
      throw invalid("AlgorithmIdentifier must be a SEQUENCE of algorithm and named-curve parameters");
    }
    AlgorithmIdentifier alg;
    try {
      alg = AlgorithmIdentifier.getInstance(algPart);
    } catch (RuntimeException e) {
      throw invalid("AlgorithmIdentifier is malformed");
    }
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
      throw invalid("algorithm is not id-ecPublicKey (1.2.840.10045.2.1)");
    }
    ASN1Encodable params = alg.getParameters();
    if (!(params instanceof ASN1ObjectIdentifier)) {
      throw invalid("EC parameters must be the named curve secp256k1, not explicit or implicit parameters");
    }
    if (!SECObjectIdentifiers.secp256k1.equals(params)) {
      throw invalid("named curve is " + params + ", expected secp256k1 (1.3.132.0.10)");
    }
    if (!(keyPart instanceof ASN1BitString)) {
      throw invalid("subjectPublicKey must be a BIT STRING");
    }
    ASN1BitString bits = (ASN1BitString) keyPart;
    if (bits.getPadBits() != 0) {
      throw invalid("subjectPublicKey BIT STRING has unused bits");
    }
    return bits.getOctets();
  }

  private static CryptoException invalid(String what) {
    return new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, what);
  }
}
