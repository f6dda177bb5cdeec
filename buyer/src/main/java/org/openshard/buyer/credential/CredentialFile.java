package org.openshard.buyer.credential;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;

/**
 * The buyer credential file ({@code --credential FILE}): the 32-byte credential secret, hex, in a
 * small text file readable only by its owner (mode 0600). It is created with a fresh secret if
 * absent. The secret is not a wallet key; it proves membership of the buyer's anchor in a ring and
 * derives nullifiers, and never leaves the machine.
 *
 * <pre>
 * # OpenShard buyer credential. Secret: keep this file private (mode 0600).
 * openshard-buyer-credential-v1
 * secret=&lt;64 hex characters&gt;
 * </pre>
 */
public final class CredentialFile {
  static final String MAGIC = "openshard-buyer-credential-v1";
  static final int SECRET_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private CredentialFile() {}

  /** What was loaded or created, and whether it was created now. */
  public static final class Loaded {
    private final byte[] secret;
    private final boolean created;

    Loaded(byte[] secret, boolean created) {
      this.secret = secret;
      this.created = created;
    }

    /** A copy of the 32-byte secret; callers wipe it after use. */
    public byte[] secret() {
      return secret.clone();
    }

    public boolean created() {
      return created;
    }

    /** Overwrites the held secret. */
    public void wipe() {
      Bytes.wipe(secret);
    }
  }

  /**
   * Reads the credential at {@code path}, or writes a new one from {@code newSecret} (mode 0600,
   * atomically: a concurrent creator's file wins and is read back).
   *
   * @throws IOException with a message naming the file and what is wrong with it
   */
  public static Loaded loadOrCreate(Path path, Supplier<byte[]> newSecret) throws IOException {
    if (Files.exists(path)) {
      return new Loaded(read(path), false);
    }
    byte[] secret = newSecret.get();
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("a credential secret is 32 bytes");
    }
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".credential", ".tmp", ownerOnly());
    try {
      String text =
          "# OpenShard buyer credential. Secret: keep this file private (mode 0600).\n"
              + "# It is not a wallet key: it proves ring membership and derives nullifiers.\n"
              + MAGIC
              + "\nsecret="
              + Bytes.hex(secret)
              + "\n";
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        Bytes.wipe(secret);
        return new Loaded(read(path), false);
      }
      if (Files.exists(path) && !secretEquals(read(path), secret)) {
        // Some platforms replace on ATOMIC_MOVE; the file now holds ours.
        Bytes.wipe(secret);
        return new Loaded(read(path), false);
      }
      return new Loaded(secret, true);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads an existing credential file. */
  public static byte[] read(Path path) throws IOException {
    if (isPosix(path)) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IOException("credential file " + path + " is readable by others; run: chmod 600 " + path);
      }
    }
    List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
    boolean magic = false;
    String hex = null;
    for (String raw : lines) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.equals(MAGIC)) {
        magic = true;
      } else if (line.startsWith("secret=")) {
        hex = line.substring("secret=".length()).trim();
      }
    }
    if (!magic || hex == null) {
      throw new IOException("credential file " + path + " is not an OpenShard buyer credential (expected '" + MAGIC + "' and 'secret=')");
    }
    byte[] secret;
    try {
      secret = Bytes.fromHex(hex);
    } catch (CryptoException e) {
      throw new IOException("credential file " + path + ": the secret is not hex");
    }
    if (secret.length != SECRET_BYTES) {
      throw new IOException("credential file " + path + ": the secret must be 32 bytes (64 hex characters)");
    }
    return secret;
  }

  private static boolean secretEquals(byte[] a, byte[] b) {
    return Bytes.constantTimeEquals(a, b);
  }

  private static boolean isPosix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] ownerOnly() {
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
  }
}
