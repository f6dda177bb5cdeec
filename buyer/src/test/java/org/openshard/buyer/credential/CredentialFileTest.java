package org.openshard.buyer.credential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.SecureRandoms;

class CredentialFileTest {
  @TempDir Path dir;

  @Test
  void createsAnOwnerOnlyFileAndReadsItBack() throws Exception {
    Path p = dir.resolve("sub/buyer.credential");
    byte[] secret = SecureRandoms.bytes(32);
    CredentialFile.Loaded created = CredentialFile.loadOrCreate(p, secret::clone);
    assertTrue(created.created());
    assertArrayEquals(secret, created.secret());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    CredentialFile.Loaded again = CredentialFile.loadOrCreate(p, () -> SecureRandoms.bytes(32));
    assertFalse(again.created());
    assertArrayEquals(secret, again.secret());
    assertTrue(Files.readString(p).contains(CredentialFile.MAGIC));
    try (var s = Files.list(p.getParent())) {
      assertEquals(1, s.count(), "no temp files left behind");
    }
  }

  @Test
  void refusesFilesOthersCanRead() throws Exception {
    Path p = dir.resolve("c");
    CredentialFile.loadOrCreate(p, () -> SecureRandoms.bytes(32));
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    IOException e = assertThrows(IOException.class, () -> CredentialFile.read(p));
    assertTrue(e.getMessage().contains("chmod 600"));
  }

  @Test
  void refusesMalformedFiles() throws Exception {
    for (String text : new String[] {"", "secret=00", "openshard-buyer-credential-v1\nsecret=zz", "openshard-buyer-credential-v1\nsecret=" + "ab".repeat(31)}) {
      Path p = dir.resolve("bad" + text.hashCode());
      Files.writeString(p, text);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
      assertThrows(IOException.class, () -> CredentialFile.read(p), text);
    }
  }
}
