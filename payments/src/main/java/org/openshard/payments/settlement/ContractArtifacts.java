package org.openshard.payments.settlement;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The compiled contracts (solc output committed under
 * {@code payments/src/main/resources/org/openshard/payments/contracts/}, produced by
 * {@code contracts/build.sh}), so the Java build needs no npm.
 */
public final class ContractArtifacts {
  public static final String ESCROW = "OpenShardEscrow";
  public static final String MOCK_USDC = "MockUsdc";

  private ContractArtifacts() {}

  /** Creation bytecode, hex without 0x. */
  public static String bin(String contract) {
    return read(contract + ".bin").trim();
  }

  /** The ABI JSON. */
  public static String abi(String contract) {
    return read(contract + ".abi");
  }

  /** The solc version the artifacts were compiled with. */
  public static String solcVersion() {
    return read("SOLC_VERSION").trim();
  }

  private static String read(String name) {
    String path = "/org/openshard/payments/contracts/" + name;
    try (InputStream in = ContractArtifacts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing contract artifact " + path + "; run contracts/build.sh");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read contract artifact " + path, e);
    }
  }
}
