package org.openshard.bridge.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.openshard.bridge.e2ee.E2eePrivateKey;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.X25519;

/**
 * The bridge's service keys, one per role (a key never serves two roles):
 *
 * <ul>
 *   <li>ACI E2EE v2: an X25519 key and a secp256k1 key;
 *   <li>legacy E2EE: a secp256k1 key ({@code ecdsa}) and an Ed25519 key ({@code ed25519}; its
 *       X25519 form decrypts);
 *   <li>receipts: an Ed25519 signing key.
 * </ul>
 *
 * Key ids are derived from the public keys ({@code <role>-<first 8 bytes of sha256(public)>}).
 * Stored as a JSON file with mode 0600 ({@link KeyFiles}):
 *
 * <pre>{"format":"openshard-bridge-keys/v1","aci_x25519":"<64 hex>","aci_secp256k1":"<64 hex>",
 *  "legacy_ecdsa":"<64 hex>","legacy_ed25519_seed":"<64 hex>","receipt_ed25519_seed":"<64 hex>"}</pre>
 */
public final class ServiceKeys {
  public static final String FORMAT = "openshard-bridge-keys/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final E2eePrivateKey aciX25519;
  private final E2eePrivateKey aciSecp256k1;
  private final Secp256k1PrivateKey legacyEcdsa;
  private final Ed25519.PrivateKey legacyEd25519;
  private final Ed25519.PrivateKey receiptKey;

  private ServiceKeys(
      E2eePrivateKey aciX25519,
      E2eePrivateKey aciSecp256k1,
      Secp256k1PrivateKey legacyEcdsa,
      Ed25519.PrivateKey legacyEd25519,
      Ed25519.PrivateKey receiptKey) {
    this.aciX25519 = aciX25519;
    this.aciSecp256k1 = aciSecp256k1;
    this.legacyEcdsa = legacyEcdsa;
    this.legacyEd25519 = legacyEd25519;
    this.receiptKey = receiptKey;
  }

  /** Fresh random keys. */
  public static ServiceKeys generate() {
    return new ServiceKeys(
        E2eePrivateKey.of(X25519.PrivateKey.generate()),
        E2eePrivateKey.of(Secp256k1PrivateKey.generate()),
        Secp256k1PrivateKey.generate(),
        Ed25519.PrivateKey.generate(),
        Ed25519.PrivateKey.generate());
  }

  /** Explicit keys (tests, key files). */
  public static ServiceKeys of(
      X25519.PrivateKey aciX25519,
      Secp256k1PrivateKey aciSecp256k1,
      Secp256k1PrivateKey legacyEcdsa,
      Ed25519.PrivateKey legacyEd25519,
      Ed25519.PrivateKey receiptKey) {
    byte[][] distinct = {
      aciX25519.toBytes(), aciSecp256k1.toBytes(), legacyEcdsa.toBytes(), legacyEd25519.seed(), receiptKey.seed()
    };
    for (int i = 0; i < distinct.length; i++) {
      for (int j = i + 1; j < distinct.length; j++) {
        if (Arrays.equals(distinct[i], distinct[j])) {
          throw new IllegalArgumentException("service keys must differ per role (a key serves one role only)");
        }
      }
    }
    return new ServiceKeys(
        E2eePrivateKey.of(aciX25519), E2eePrivateKey.of(aciSecp256k1), legacyEcdsa, legacyEd25519, receiptKey);
  }

  public E2eePrivateKey aciX25519() {
    return aciX25519;
  }

  public E2eePrivateKey aciSecp256k1() {
    return aciSecp256k1;
  }

  public Secp256k1PrivateKey legacyEcdsa() {
    return legacyEcdsa;
  }

  public Ed25519.PrivateKey legacyEd25519() {
    return legacyEd25519;
  }

  public Ed25519.PrivateKey receiptKey() {
    return receiptKey;
  }

  public String aciX25519KeyId() {
    return keyId("e2ee-x25519", aciX25519.publicKey().canonicalBytes());
  }

  public String aciSecp256k1KeyId() {
    return keyId("e2ee-secp256k1", aciSecp256k1.publicKey().canonicalBytes());
  }

  public String receiptKeyId() {
    return keyId("receipt-ed25519", receiptKey.publicKey().toBytes());
  }

  private static String keyId(String role, byte[] pub) {
    return role + "-" + Bytes.hex(Arrays.copyOf(Hashes.sha256(pub), 8));
  }

  /** Writes the keys to {@code file} with mode 0600 (refuses to overwrite). */
  public void write(Path file) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT);
    o.put("aci_x25519", Bytes.hex(aciX25519.secretBytes()));
    o.put("aci_secp256k1", Bytes.hex(aciSecp256k1.secretBytes()));
    o.put("legacy_ecdsa", Bytes.hex(legacyEcdsa.toBytes()));
    o.put("legacy_ed25519_seed", Bytes.hex(legacyEd25519.seed()));
    o.put("receipt_ed25519_seed", Bytes.hex(receiptKey.seed()));
    KeyFiles.writeOwnerOnly(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
  }

  /**
   * Reads a key file written by {@link #write}.
   *
   * @throws IOException if missing, readable by group/others, or malformed (the message says how
   *     to fix it)
   */
  public static ServiceKeys read(Path file) throws IOException {
    byte[] bytes = KeyFiles.readOwnerOnly(file);
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException("bridge key file " + file + " is not valid JSON");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException("bridge key file " + file + " is not an " + FORMAT + " file");
    }
    try {
      return of(
          X25519.PrivateKey.fromBytes(hex32(root, "aci_x25519", file)),
          Secp256k1PrivateKey.fromBytes(hex32(root, "aci_secp256k1", file)),
          Secp256k1PrivateKey.fromBytes(hex32(root, "legacy_ecdsa", file)),
          Ed25519.PrivateKey.fromSeed(hex32(root, "legacy_ed25519_seed", file)),
          Ed25519.PrivateKey.fromSeed(hex32(root, "receipt_ed25519_seed", file)));
    } catch (CryptoException | IllegalArgumentException e) {
      throw new IOException("bridge key file " + file + " holds an invalid key: " + e.getMessage());
    }
  }

  private static byte[] hex32(JsonNode root, String field, Path file) throws IOException {
    try {
      byte[] b = Bytes.fromHex(root.path(field).asText(""));
      if (b.length != 32) {
        throw new IOException("bridge key file " + file + ": " + field + " must be 64 hex characters");
      }
      return b;
    } catch (CryptoException e) {
      throw new IOException("bridge key file " + file + ": " + field + " is not hex");
    }
  }

  /** Loads {@code file} if it exists, else generates keys and writes them there. */
  public static ServiceKeys loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    ServiceKeys k = generate();
    k.write(file);
    return k;
  }

  @Override
  public String toString() {
    return "ServiceKeys(" + aciX25519KeyId() + ", " + aciSecp256k1KeyId() + ", " + receiptKeyId() + ")";
  }
}
