package org.openshard.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openshard.crypto.Bytes;
import org.openshard.seller.keys.SellerKeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "Writes a new seller identity key and encryption key to a file (mode 0600) and prints the"
            + " public parts and the peer id (the identity key's Ethereum address).",
    footer = {"", "Examples:", "  ./openshard keys --out seller.key", "  ./openshard seller --key seller.key ..."})
final class KeysCommand implements Callable<Integer> {
  @Option(names = "--out", description = "Key file to write (default: ${DEFAULT-VALUE}).", defaultValue = "seller.key")
  Path out;

  @Option(names = "--force", description = "Replace an existing file.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    SellerKeyFile keys = SellerKeyFile.generate();
    try {
      keys.write(out, force);
    } catch (FileAlreadyExistsException e) {
      System.err.println("openshard keys: " + out + " already exists; pass --force to replace it or choose --out");
      return 1;
    }
    System.out.println("key_file: " + out.toAbsolutePath() + " (mode 0600)");
    System.out.println("peer_id: " + keys.peerId());
    System.out.println("identity_public_key: " + Bytes.hex(keys.identityKey().publicKey().compressed()));
    System.out.println("encryption_key_id: " + keys.encryptionKeyId());
    System.out.println("encryption_public_key: " + Bytes.hex(keys.encryptionKey().publicKey().compressed()));
    return 0;
  }
}
