package org.openshard.payments.money;

/**
 * A conservative upper bound for one request: the estimated prompt tokens, the completion tokens
 * the request may generate, and their cost (all prompt tokens priced at the higher of the fresh
 * and cached input rates).
 */
public record MaxCost(long promptTokens, long completionTokens, Usdc cost) {}
