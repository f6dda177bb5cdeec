package org.openshard.payments.channel;

import org.openshard.payments.money.Usdc;

/** Credit held for one admitted request until it is settled or released. */
public record Reservation(Usdc amount, long createdAtMs) {}
