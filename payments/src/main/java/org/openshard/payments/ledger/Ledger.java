package org.openshard.payments.ledger;

import java.util.Optional;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.PaymentTerms;

/**
 * Where deposits, channels and claims live: {@link InProcessLedger} (memory + file, the default, so
 * a demo needs no chain) or {@code settlement.ChainLedger} (the escrow contract over JSON-RPC,
 * selected by {@code --chain-rpc URL}). Both apply the same rules as the contract in
 * {@code contracts/src/OpenShardEscrow.sol}.
 */
public interface Ledger extends AutoCloseable {
  long chainId();

  /** The escrow contract: the EIP-712 verifyingContract of every voucher. */
  EthAddress escrowContract();

  /** The ERC-20 paid in (USDC). */
  EthAddress token();

  /** Seconds after expiry during which the payee may still claim and the payer may not withdraw. */
  long challengeWindowSeconds();

  default Eip712Domain domain() {
    return Eip712Domain.escrow(chainId(), escrowContract());
  }

  /** The payment terms of a seller paid to {@code payee} on this ledger. */
  default PaymentTerms terms(EthAddress payee) {
    return PaymentTerms.newBuilder()
        .setChainId(chainId())
        .setEscrowContract(escrowContract().hex())
        .setPayee(payee.hex())
        .setToken(token().hex())
        .build();
  }

  /** The ledger's clock (block time on a chain), Unix seconds. */
  long nowUnix() throws PaymentException;

  Optional<LedgerChannel> channel(ChannelId id) throws PaymentException;

  /** Opens a channel funded by {@code payer} with {@code open.maxAmount()}. */
  LedgerChannel open(WalletKey payer, ChannelOpenMessage open) throws PaymentException;

  /** Adds to the deposit and extends the expiry (never shortens it). Returns after it is final. */
  LedgerChannel topUp(WalletKey payer, ChannelId id, Usdc amount, long newExpiryUnix) throws PaymentException;

  /**
   * Pays the channel's payee up to min(cumulative, deposit) minus what was already claimed, after
   * checking the voucher's signature by the channel's signer.
   *
   * @return the amount paid by this claim
   */
  Usdc claim(WalletKey submitter, SignedVoucher voucher) throws PaymentException;

  /** After expiry plus the challenge window, returns the unclaimed deposit to the payer. */
  Usdc withdraw(WalletKey payer, ChannelId id) throws PaymentException;

  Usdc balanceOf(EthAddress owner) throws PaymentException;

  @Override
  void close();
}
