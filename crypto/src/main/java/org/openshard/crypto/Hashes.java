package org.openshard.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.jcajce.provider.digest.Keccak;

/** SHA-256 and Ethereum's keccak-256. */
public final class Hashes {
  private Hashes() {}

  public static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  public static byte[] keccak256(byte[]... parts) {
    Keccak.Digest256 d = new Keccak.Digest256();
    for (byte[] p : parts) {
      d.update(p);
    }
    return d.digest();
  }
}
