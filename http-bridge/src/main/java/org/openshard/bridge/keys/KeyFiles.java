package org.openshard.bridge.keys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Secret files: written atomically with mode 0600, refused on read if group or others can access them. */
public final class KeyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  public static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file + " exists; refusing to overwrite a key file");
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".openshard-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.write(tmp, bytes, StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    Files.setPosixFilePermissions(file, OWNER_ONLY);
  }

  public static byte[] readOwnerOnly(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("key file " + file + " does not exist");
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    for (PosixFilePermission p : perms) {
      if (!OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE) {
        throw new IOException(
            "key file " + file + " is accessible by group or others (" + PosixFilePermissions.toString(perms)
                + "); run: chmod 600 " + file);
      }
    }
    return Files.readAllBytes(file);
  }
}
