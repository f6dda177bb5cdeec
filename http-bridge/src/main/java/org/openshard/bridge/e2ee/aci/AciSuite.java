package org.openshard.bridge.e2ee.aci;

import java.nio.charset.StandardCharsets;
import org.openshard.bridge.e2ee.Curve;

/** The two ACI E2EE v2 suites. */
public enum AciSuite {
  X25519("x25519-aes-256-gcm-hkdf-sha256", "aci.e2ee.v2.x25519", Curve.X25519),
  SECP256K1("secp256k1-aes-256-gcm-hkdf-sha256", "aci.e2ee.v2.secp256k1", Curve.SECP256K1);

  private final String algo;
  private final String info;
  private final Curve curve;

  AciSuite(String algo, String info, Curve curve) {
    this.algo = algo;
    this.info = info;
    this.curve = curve;
  }

  /** The {@code algo} string (keyset, associated data, X-E2EE-Algo). */
  public String algo() {
    return algo;
  }

  /** The HKDF info bytes. */
  public byte[] info() {
    return info.getBytes(StandardCharsets.US_ASCII);
  }

  public Curve curve() {
    return curve;
  }
}
