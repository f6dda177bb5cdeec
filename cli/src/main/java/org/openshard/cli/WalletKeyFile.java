package org.openshard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.openshard.crypto.Bytes;
import org.openshard.payments.AtomicFiles;
import org.openshard.payments.PaymentException;
import org.openshard.payments.ledger.WalletKey;

/** The buyer's funding wallet key: 64 hex characters, mode 0600 (refused if others may read it). */
final class WalletKeyFile {
  private WalletKeyFile() {}

  static boolean exists(Path file) {
    return Files.exists(file);
  }

  static WalletKey read(Path file) throws IOException, PaymentException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    for (PosixFilePermission p : perms) {
      if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
        throw new IOException("wallet key file " + file + " is readable by others: chmod 600 it");
      }
    }
    String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (hex.startsWith("0x")) {
      hex = hex.substring(2);
    }
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IOException("wallet key file " + file + " does not hold 64 hex characters");
    }
    byte[] scalar;
    try {
      scalar = Bytes.fromHex(hex);
    } catch (org.openshard.crypto.CryptoException e) {
      throw new IOException("wallet key file " + file + " is not hex");
    }
    try {
      return WalletKey.fromBytes(scalar);
    } finally {
      java.util.Arrays.fill(scalar, (byte) 0);
    }
  }

  /** Creates a new random wallet key file (mode 0600). */
  static WalletKey create(Path file) throws IOException {
    WalletKey k = WalletKey.generate();
    byte[] scalar = k.privateKey().toBytes();
    try {
      AtomicFiles.write(file, (Bytes.hex(scalar) + "\n").getBytes(StandardCharsets.US_ASCII));
    } finally {
      java.util.Arrays.fill(scalar, (byte) 0);
    }
    return k;
  }
}
