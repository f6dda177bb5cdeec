package org.openshard.payments.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openshard.testing.RepoPaths;

/** The ABI/BIN the Java build ships are exactly contracts/build's (run contracts/build.sh after editing a contract). */
class ContractArtifactsTest {
  @Test
  void shippedArtifactsMatchTheContractsBuild() throws Exception {
    Path build = RepoPaths.repoRoot().resolve("contracts/build");
    for (String c : new String[] {ContractArtifacts.ESCROW, ContractArtifacts.MOCK_USDC}) {
      assertEquals(Files.readString(build.resolve(c + ".bin")).trim(), ContractArtifacts.bin(c), c + ".bin");
      assertEquals(Files.readString(build.resolve(c + ".abi")), ContractArtifacts.abi(c), c + ".abi");
      assertTrue(ContractArtifacts.bin(c).matches("[0-9a-f]{200,}"), c + " bytecode is hex");
    }
    assertTrue(ContractArtifacts.solcVersion().startsWith("0.8."), ContractArtifacts.solcVersion());
  }
}
