package org.openshard.bridge.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;

/**
 * The node's secp256k1 identity key (its Ethereum address is the peer id) for {@code --key FILE}.
 * Accepted forms (mode 0600): a plain file holding 64 hex characters (optional {@code 0x},
 * surrounding whitespace ignored), or a JSON object with an {@code identity_private_key} member (so
 * the file {@code ./openshard keys} writes works too).
 */
public final class IdentityKeyFile {
  private IdentityKeyFile() {}

  public static Secp256k1PrivateKey read(Path file) throws IOException {
    String text = new String(KeyFiles.readOwnerOnly(file), StandardCharsets.UTF_8).trim();
    String hex = text;
    if (text.startsWith("{")) {
      JsonNode root;
      try {
        root = new ObjectMapper().readTree(text);
      } catch (IOException e) {
        throw new IOException("identity key file " + file + " is not valid JSON");
      }
      hex = root.path("identity_private_key").asText("");
      if (hex.isEmpty()) {
        throw new IOException("identity key file " + file + " has no identity_private_key member");
      }
    }
    try {
      byte[] b = Bytes.fromHex(hex);
      if (b.length != 32) {
        throw new IOException("identity key file " + file + " must hold 64 hex characters (a secp256k1 private key)");
      }
      return Secp256k1PrivateKey.fromBytes(b);
    } catch (CryptoException e) {
      throw new IOException("identity key file " + file + " does not hold a valid secp256k1 private key in hex");
    }
  }

  /** Writes {@code key} as plain hex with mode 0600 (refuses to overwrite). */
  public static void write(Path file, Secp256k1PrivateKey key) throws IOException {
    KeyFiles.writeOwnerOnly(file, (Bytes.hex(key.toBytes()) + "\n").getBytes(StandardCharsets.US_ASCII));
  }
}
