package org.openshard.payments.eip712;

import java.util.Objects;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.proto.v1.PaymentTerms;

/**
 * An EIP-712 domain {@code EIP712Domain(string name,string version,uint256 chainId,address
 * verifyingContract)}. For payments the verifying contract is the escrow contract.
 */
public record Eip712Domain(String name, String version, long chainId, EthAddress verifyingContract) {
  /** The escrow contract's domain name. */
  public static final String ESCROW_NAME = "OpenShard Escrow";
  /** The escrow contract's domain version. */
  public static final String ESCROW_VERSION = "1";

  public Eip712Domain {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(verifyingContract, "verifyingContract");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive");
    }
  }

  /** The escrow domain on the given chain. */
  public static Eip712Domain escrow(long chainId, EthAddress escrowContract) {
    return new Eip712Domain(ESCROW_NAME, ESCROW_VERSION, chainId, escrowContract);
  }

  /** The escrow domain named by a seller's payment terms. */
  public static Eip712Domain escrow(PaymentTerms terms) throws PaymentException {
    if (terms.getChainId() <= 0) {
      throw new PaymentException(PaymentException.Reason.WRONG_CHAIN, "terms.chain_id", "chain id must be positive");
    }
    return escrow(terms.getChainId(), EthAddress.parse(terms.getEscrowContract(), "terms.escrow_contract"));
  }
}
