package org.openshard.payments.ledger;

import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.money.Usdc;

/** A channel as the ledger (escrow contract) records it. */
public record LedgerChannel(
    ChannelId id,
    EthAddress payer,
    EthAddress signer,
    EthAddress payee,
    Usdc deposit,
    Usdc claimed,
    long expiryUnix,
    long lastSequence,
    boolean closed) {}
