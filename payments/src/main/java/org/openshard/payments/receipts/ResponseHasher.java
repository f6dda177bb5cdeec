package org.openshard.payments.receipts;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over the ciphertexts of every chunk sent, in order (Receipt.response_hash). Not thread-safe. */
public final class ResponseHasher {
  private final MessageDigest sha256;

  public ResponseHasher() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  public void add(byte[] chunkCiphertext) {
    sha256.update(chunkCiphertext);
  }

  public ByteString finish() {
    return ByteString.copyFrom(sha256.digest());
  }
}
