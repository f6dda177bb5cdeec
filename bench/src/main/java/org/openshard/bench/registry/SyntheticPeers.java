package org.openshard.bench.registry;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.proto.v1.SignedKeyAnnouncement;
import org.openshard.registry.store.HeartbeatToken;
import org.openshard.registry.store.PeerRecord;

/**
 * Registrations of realistic size for load tests, built without signing (100,000 ECDSA signatures
 * and recoveries would dominate the run). They are inserted at the store level, bypassing the
 * validator; heartbeat and Discover paths are exercised exactly as in production.
 */
final class SyntheticPeers {
  final String[] peerIds;
  final PeerRecord[] records;
  final HeartbeatToken[] tokens;
  final LoadReport[] loads;
  final String[] services;

  SyntheticPeers(int peers, int serviceCount, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    HexFormat hex = HexFormat.of();
    services = new String[serviceCount];
    for (int i = 0; i < serviceCount; i++) {
      services[i] = "model-" + i + ":8b-instruct";
    }
    peerIds = new String[peers];
    records = new PeerRecord[peers];
    tokens = new HeartbeatToken[peers];
    loads = new LoadReport[peers];
    long nowUnix = System.currentTimeMillis() / 1000;
    for (int i = 0; i < peers; i++) {
      byte[] addr = new byte[20];
      rnd.nextBytes(addr);
      String peerId = "0x" + hex.formatHex(addr);
      byte[] pub = new byte[33];
      rnd.nextBytes(pub);
      pub[0] = 0x02;
      KeyAnnouncement ka =
          KeyAnnouncement.newBuilder()
              .setSellerId(peerId)
              .setKeyId("k-" + i)
              .setCipherSuite(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM)
              .setPublicKey(ByteString.copyFrom(pub))
              .setNotBeforeUnix(nowUnix - 60)
              .setNotAfterUnix(nowUnix + 86_400)
              .build();
      SellerRegistration reg =
          SellerRegistration.newBuilder()
              .setPeerId(peerId)
              .setEndpoint("seller-" + i + ".example.net:7443")
              .addOfferings(
                  Offering.newBuilder()
                      .setOfferingId("main")
                      .setCapability(Capability.CAPABILITY_INFERENCE)
                      .addServiceIds(services[i % serviceCount])
                      .setPricing(
                          Pricing.newBuilder()
                              .setInputPerMillion(50_000 + rnd.nextInt(500_000))
                              .setOutputPerMillion(100_000 + rnd.nextInt(1_000_000))
                              .setCachedInputPerMillion(10_000))
                      .setUpstreamModel("upstream-" + (i % serviceCount))
                      .setMaxContextTokens(32_768))
              .setEncryptionKey(
                  SignedKeyAnnouncement.newBuilder()
                      .setAnnouncement(ka.toByteString())
                      .setSignature(ByteString.copyFrom(randomBytes(rnd, 65))))
              .setTimestampMs(System.currentTimeMillis())
              .build();
      RegisterRequest signed =
          RegisterRequest.newBuilder()
              .setRegistration(reg.toByteString())
              .setSignature(ByteString.copyFrom(randomBytes(rnd, 65)))
              .build();
      peerIds[i] = peerId;
      records[i] = new PeerRecord(signed, reg, ka.getNotAfterUnix());
      tokens[i] = HeartbeatToken.generate();
      int capacity = 4 + rnd.nextInt(60);
      loads[i] =
          LoadReport.newBuilder()
              .setCapacity(capacity)
              .setInFlight(rnd.nextInt(capacity + 1))
              .setLatencyP50Ms(80 + rnd.nextInt(900))
              .setLatencyP99Ms(2_000 + rnd.nextInt(3_000))
              .setErrorRate(rnd.nextDouble() * 0.05)
              .setRecentRequests(rnd.nextInt(500))
              .build();
    }
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}
