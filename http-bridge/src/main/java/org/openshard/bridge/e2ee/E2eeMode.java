package org.openshard.bridge.e2ee;

/** How a request is protected. */
public enum E2eeMode {
  /** No E2EE headers. */
  PLAIN,
  /** ACI E2EE v2 (X-E2EE-Version: 2 without X-Signing-Algo). */
  ACI_V2,
  /** Legacy (X-Signing-Algo) without associated data or replay protection. */
  LEGACY_V1,
  /** Legacy strict v2: pipe-delimited associated data, nonce, timestamp and replay protection. */
  LEGACY_V2
}
