package org.openshard.credentials.ring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.credentials.Anchor;
import org.openshard.crypto.Secp256k1;

/**
 * A bounded LRU of ring-member points used in multiplications. BouncyCastle caches its wNAF /
 * endomorphism tables on the point object (≈ 7 KB each); reusing one object per anchor lets a seller
 * that verifies many proofs over the same anchor set skip that precomputation, while the bound keeps
 * memory fixed however large the anchor set is. Thread-safe.
 */
final class AnchorPointCache {
  static final int CAPACITY = 4096;

  private static final Map<Anchor, ECPoint> CACHE =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Anchor, ECPoint> eldest) {
          return size() > CAPACITY;
        }
      };

  private AnchorPointCache() {}

  /** The cached multiplication point for {@code a} (a private copy of its normalized point). */
  static ECPoint pointFor(Anchor a) {
    synchronized (CACHE) {
      ECPoint p = CACHE.get(a);
      if (p == null) {
        ECPoint q = a.point();
        p = Secp256k1.CURVE.createPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        CACHE.put(a, p);
      }
      return p;
    }
  }
}
