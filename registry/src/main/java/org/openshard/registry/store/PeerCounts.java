package org.openshard.registry.store;

/** Registered peers by state: live, and expired but not yet pruned. */
public record PeerCounts(long live, long expired) {}
