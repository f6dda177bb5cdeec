/**
 * The OpenShard SDK: four entry points for embedding the market in a Java application.
 *
 * <ul>
 *   <li>{@link org.openshard.sdk.Network} — the registries' view of the market: {@code
 *       Network.connect("host:port", …)}, then {@code discover(serviceId, filters)}, {@code
 *       watch(listener)} and {@code anchorSet()}.
 *   <li>{@link org.openshard.seller.SellerNode} — sell inference from your process: {@code
 *       SellerNode.builder().identityKey(…).offerings(…).upstream(url, key).registries(…).replayCache(…).build().start()}.
 *       A registry entry {@code "a:7400,b:7400"} is one registry run as replicas (heartbeats fail over).
 *   <li>{@link org.openshard.seller.offering.Offering} — what a seller advertises: {@code
 *       Offering.builder().id("o1").capability(Offering.Kind.INFERENCE).serviceId("llama-3.1-8b").upstreamModel(…).build()}.
 *   <li>{@link org.openshard.buyer.BuyerClient} — private chat completions in-process: {@code
 *       BuyerClient.builder().registry(…).credentialFile(…).build().chat(openaiJson)}; requests are
 *       sealed in privacy envelopes with a ring proof, answers decrypted and receipts checked.
 * </ul>
 *
 * Runnable examples: {@code examples/java/README.md}.
 */
package org.openshard.sdk;
