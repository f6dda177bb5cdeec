package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Bytes;
import org.openshard.seller.keys.SellerKeyFile;

class KeysCommandTest {
  @TempDir Path dir;

  /** The exit code, a newline, then stdout. */
  private static String run(String... args) {
    String[] r = InProcessCli.run(args);
    return r[0] + "\n" + r[1];
  }

  @Test
  void writesOwnerOnlyKeyFileAndPrintsPublicParts() throws Exception {
    Path file = dir.resolve("seller.key");
    String out = run("keys", "--out", file.toString());
    assertTrue(out.startsWith("0\n"), out);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    SellerKeyFile kf = SellerKeyFile.read(file);
    assertTrue(out.contains("peer_id: " + kf.peerId()), out);
    assertTrue(out.contains("encryption_public_key: " + Bytes.hex(kf.encryptionKey().publicKey().compressed())), out);
    // the private keys are never printed
    assertTrue(!out.contains(Bytes.hex(kf.identityKey().toBytes())), "identity private key printed");
    assertTrue(!out.contains(Bytes.hex(kf.encryptionKey().toBytes())), "encryption private key printed");
  }

  @Test
  void refusesToOverwriteWithoutForceAndMakesNewKeysWithForce() throws Exception {
    Path file = dir.resolve("seller.key");
    assertTrue(run("keys", "--out", file.toString()).startsWith("0\n"));
    String first = SellerKeyFile.read(file).peerId();
    assertTrue(run("keys", "--out", file.toString()).startsWith("1\n"));
    assertEquals(first, SellerKeyFile.read(file).peerId());
    assertTrue(run("keys", "--out", file.toString(), "--force").startsWith("0\n"));
    assertNotEquals(first, SellerKeyFile.read(file).peerId());
  }

  @Test
  void readingAGroupReadableKeyFileFailsWithAFix() throws Exception {
    Path file = dir.resolve("seller.key");
    run("keys", "--out", file.toString());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    IOException e = assertThrows(IOException.class, () -> SellerKeyFile.read(file));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void helpListsCommands() {
    String out = run("--help");
    assertTrue(out.startsWith("0\n"), out);
    assertTrue(out.contains("keys"), out);
    assertTrue(out.contains("LISTENING"), out);
  }
}
