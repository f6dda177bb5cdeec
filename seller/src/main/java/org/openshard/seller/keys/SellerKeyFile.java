package org.openshard.seller.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;

/**
 * A seller's key file: its long-term identity key (whose Ethereum address is the peer id) and an
 * initial encryption key. Written with mode 0600; refused on load if group or others can read it.
 *
 * <pre>{"format":"openshard-seller-key/v1","peer_id":"0x…","identity_private_key":"<64 hex>",
 *  "encryption_key":{"key_id":"…","cipher_suite":"secp256k1","private_key":"<64 hex>"}}</pre>
 */
public final class SellerKeyFile {
  public static final String FORMAT = "openshard-seller-key/v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Secp256k1PrivateKey identityKey;
  private final String encryptionKeyId;
  private final Secp256k1PrivateKey encryptionKey;

  private SellerKeyFile(Secp256k1PrivateKey identityKey, String encryptionKeyId, Secp256k1PrivateKey encryptionKey) {
    this.identityKey = identityKey;
    this.encryptionKeyId = encryptionKeyId;
    this.encryptionKey = encryptionKey;
  }

  /** New random keys. */
  public static SellerKeyFile generate() {
    byte[] id = org.openshard.crypto.SecureRandoms.bytes(6);
    return new SellerKeyFile(Secp256k1PrivateKey.generate(), "k-" + Bytes.hex(id), Secp256k1PrivateKey.generate());
  }

  public Secp256k1PrivateKey identityKey() {
    return identityKey;
  }

  /** The peer id: the Ethereum address of the identity key. */
  public String peerId() {
    return identityKey.publicKey().ethereumAddress();
  }

  public String encryptionKeyId() {
    return encryptionKeyId;
  }

  public Secp256k1PrivateKey encryptionKey() {
    return encryptionKey;
  }

  /**
   * Writes the file with mode 0600, creating it atomically; refuses to overwrite unless {@code
   * overwrite}.
   */
  public void write(Path file, boolean overwrite) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("peer_id", peerId());
    root.put("identity_private_key", Bytes.hex(identityKey.toBytes()));
    ObjectNode enc = root.putObject("encryption_key");
    enc.put("key_id", encryptionKeyId);
    enc.put("cipher_suite", "secp256k1");
    enc.put("private_key", Bytes.hex(encryptionKey.toBytes()));
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    if (Files.exists(file) && !overwrite) {
      throw new FileAlreadyExistsException(file + " exists; pass --force to replace it");
    }
    Path tmp = Files.createTempFile(dir, ".openshard-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    Files.setPosixFilePermissions(file, OWNER_ONLY);
  }

  /**
   * Reads a key file.
   *
   * @throws IOException if the file is missing, readable by group/others, or malformed — the message
   *     says how to fix it
   */
  public static SellerKeyFile read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("key file " + file + " does not exist; create one with: ./openshard keys --out " + file);
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    for (PosixFilePermission p : perms) {
      if (!OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE) {
        throw new IOException(
            "key file " + file + " is accessible by group or others (" + PosixFilePermissions.toString(perms)
                + "); run: chmod 600 " + file);
      }
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException("key file " + file + " is not valid JSON");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException("key file " + file + " is not an " + FORMAT + " file");
    }
    try {
      Secp256k1PrivateKey identity = Secp256k1PrivateKey.fromBytes(Bytes.fromHex(root.path("identity_private_key").asText()));
      JsonNode enc = root.path("encryption_key");
      String keyId = enc.path("key_id").asText();
      Secp256k1PrivateKey encKey = Secp256k1PrivateKey.fromBytes(Bytes.fromHex(enc.path("private_key").asText()));
      if (keyId.isEmpty()) {
        throw new IOException("key file " + file + " has no encryption_key.key_id");
      }
      SellerKeyFile kf = new SellerKeyFile(identity, keyId, encKey);
      String declared = root.path("peer_id").asText();
      if (!declared.isEmpty() && !declared.equalsIgnoreCase(kf.peerId())) {
        throw new IOException("key file " + file + " peer_id does not match its identity key");
      }
      return kf;
    } catch (CryptoException e) {
      throw new IOException("key file " + file + " holds an invalid key: " + e.reason());
    }
  }
}
