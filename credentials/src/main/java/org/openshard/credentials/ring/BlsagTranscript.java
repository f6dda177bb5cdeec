package org.openshard.credentials.ring;

import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.credentials.Encoding;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Secp256k1;

/**
 * The exact hash inputs of the bLSAG challenges (docs/protocol.md, CRED-5):
 *
 * <pre>
 * context = SHA-256( lp("OpenShard/v1/bLSAG-secp256k1-sha256/context")
 *                 || u64(anchor_set_epoch) || anchor_set_digest (32)
 *                 || u32(n) || { u32(index_i) || P_i (33) } for i = 0..n-1
 *                 || lp(scope_encoding) || H_p (33) || I (33) || m (32) )
 * c_(i+1) = OS2IP( SHA-256( lp("OpenShard/v1/bLSAG-secp256k1-sha256/challenge")
 *                        || context || L_i (33) || R_i (33) ) ) mod n
 * </pre>
 *
 * Points are 33-byte compressed SEC1; the point at infinity (which an honest run never meets) is
 * encoded as 33 zero bytes.
 */
final class BlsagTranscript {
  static final String CONTEXT_LABEL = "OpenShard/v1/bLSAG-secp256k1-sha256/context";
  static final String CHALLENGE_LABEL = "OpenShard/v1/bLSAG-secp256k1-sha256/challenge";

  private static final byte[] CHALLENGE_PREFIX = Encoding.labelled(CHALLENGE_LABEL, 64).toByteArray();

  private final byte[] context;

  private BlsagTranscript(byte[] context) {
    this.context = context;
  }

  static BlsagTranscript create(
      long anchorSetEpoch,
      byte[] anchorSetDigest,
      int[] indices,
      List<ECPoint> ring,
      byte[] scopeEncoding,
      ECPoint scopePoint,
      ECPoint keyImage,
      byte[] message) {
    Encoding e =
        Encoding.labelled(CONTEXT_LABEL, 256 + ring.size() * 37)
            .u64(anchorSetEpoch)
            .raw(anchorSetDigest)
            .u32(ring.size());
    for (int i = 0; i < ring.size(); i++) {
      e.u32(indices[i] & 0xFFFF_FFFFL).raw(encode(ring.get(i)));
    }
    e.lp(scopeEncoding).raw(encode(scopePoint)).raw(encode(keyImage)).raw(message);
    return new BlsagTranscript(Hashes.sha256(e.toByteArray()));
  }

  /** The challenge for the next ring position from this position's L and R (both normalized). */
  BigInteger challenge(ECPoint l, ECPoint r) {
    byte[] h = Hashes.sha256(CHALLENGE_PREFIX, context, encode(l), encode(r));
    return new BigInteger(1, h).mod(Secp256k1.N);
  }

  static byte[] encode(ECPoint p) {
    return p.isInfinity() ? new byte[33] : p.getEncoded(true);
  }
}
