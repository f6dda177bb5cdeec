package org.openshard.bridge.e2ee;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hkdf;
import org.openshard.crypto.SecureRandoms;

/**
 * The field encoding shared by every HTTP E2EE mode: a field value is the lowercase hex of {@code
 * ephemeral_public_key || nonce (12) || ciphertext || tag (16)}, AES-256-GCM under {@code
 * HKDF-SHA256(salt = none, ikm = ECDH(ephemeral, recipient), info, 32)}.
 */
public final class FieldCodec {
  private static final int MAX_FIELD_HEX_CHARS = 64 * 1024 * 1024;

  private FieldCodec() {}

  /**
   * Opens one field with the recipient's private key.
   *
   * @param aad the associated data, or null/empty for none
   * @throws FieldDecryptionException if the value is not hex, too short, carries an invalid
   *     ephemeral key, or fails authentication
   */
  public static byte[] open(E2eePrivateKey recipient, String fieldValue, byte[] aad, byte[] info)
      throws FieldDecryptionException {
    if (fieldValue == null || fieldValue.length() > MAX_FIELD_HEX_CHARS) {
      throw new FieldDecryptionException("encrypted field is missing or too large");
    }
    byte[] raw;
    try {
      raw = Bytes.fromHex(fieldValue);
    } catch (CryptoException e) {
      throw new FieldDecryptionException("encrypted field is not hex");
    }
    int ephLen = recipient.curve().ephemeralKeyBytes();
    if (raw.length < ephLen + AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES) {
      throw new FieldDecryptionException("encrypted field is shorter than key + nonce + tag");
    }
    byte[] eph = Arrays.copyOfRange(raw, 0, ephLen);
    if (recipient.curve() == Curve.SECP256K1 && eph[0] != 0x04) {
      throw new FieldDecryptionException("ephemeral key must be 65-byte uncompressed secp256k1");
    }
    byte[] nonce = Arrays.copyOfRange(raw, ephLen, ephLen + AesGcm.NONCE_BYTES);
    byte[] ct = Arrays.copyOfRange(raw, ephLen + AesGcm.NONCE_BYTES, raw.length);
    byte[] shared = null;
    byte[] key = null;
    try {
      E2eePublicKey ephemeral = E2eePublicKey.decode(recipient.curve(), eph);
      shared = recipient.agree(ephemeral);
      key = Hkdf.sha256(shared, null, info, AesGcm.KEY_BYTES);
      return AesGcm.of(key).decrypt(nonce, ct, aad);
    } catch (CryptoException e) {
      throw new FieldDecryptionException(
          e.reason() == CryptoException.Reason.DECRYPTION_FAILED
              ? "authentication failed (wrong key, field or associated data)"
              : "invalid ephemeral key");
    } finally {
      Bytes.wipe(shared);
      Bytes.wipe(key);
    }
  }

  /** Opens a field whose plaintext must be UTF-8 text. */
  public static String openText(E2eePrivateKey recipient, String fieldValue, byte[] aad, byte[] info)
      throws FieldDecryptionException {
    byte[] pt = open(recipient, fieldValue, aad, info);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(pt))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FieldDecryptionException("decrypted field is not UTF-8");
    } finally {
      Bytes.wipe(pt);
    }
  }

  /**
   * A sealer for one response: one fresh ephemeral key (and so one AES key) for all its fields, a
   * fresh random nonce per field.
   */
  public static Sealer sealer(E2eePublicKey recipient, byte[] info) throws CryptoException {
    E2eePrivateKey eph = E2eePrivateKey.generate(recipient.curve());
    byte[] shared = eph.agree(recipient);
    try {
      byte[] key = Hkdf.sha256(shared, null, info, AesGcm.KEY_BYTES);
      try {
        return new Sealer(eph.publicKey().canonicalBytes(), AesGcm.of(key));
      } finally {
        Bytes.wipe(key);
      }
    } finally {
      Bytes.wipe(shared);
    }
  }

  /** Encrypts fields to one recipient. */
  public static final class Sealer {
    private final byte[] ephemeralPublic;
    private final AesGcm aead;

    private Sealer(byte[] ephemeralPublic, AesGcm aead) {
      this.ephemeralPublic = ephemeralPublic;
      this.aead = aead;
    }

    /** The encoded field (lowercase hex). */
    public String seal(byte[] plaintext, byte[] aad) throws CryptoException {
      byte[] nonce = SecureRandoms.bytes(AesGcm.NONCE_BYTES);
      byte[] ct = aead.encrypt(nonce, plaintext, aad);
      return Bytes.hex(Bytes.concat(ephemeralPublic, nonce, ct));
    }

    public String sealText(String plaintext, byte[] aad) throws CryptoException {
      return seal(plaintext.getBytes(StandardCharsets.UTF_8), aad);
    }
  }
}
