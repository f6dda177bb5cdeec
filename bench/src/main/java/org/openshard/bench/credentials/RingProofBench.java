package org.openshard.bench.credentials;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.ECPoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.Nullifier;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.anchors.TrustedAnchorSets;
import org.openshard.credentials.h2c.HashToCurve;
import org.openshard.credentials.ring.RingProof;
import org.openshard.credentials.ring.RingProofs;
import org.openshard.credentials.ring.RingSelector;

/**
 * bLSAG prove / verify for ring sizes 1, 4, 16, 64 over an anchor set of 256, and RFC 9380
 * hash-to-curve alone. Run: {@code bench/run RingProofBench -f 1 -wi 2 -w 1 -i 3 -r 1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class RingProofBench {
  private static final String SELLER = "0x1111111111111111111111111111111111111111";
  private static final long EPOCH = 480_000;

  @State(Scope.Benchmark)
  public static class Ring {
    @Param({"1", "4", "16", "64"})
    public int ringSize;

    SecureRandom random;
    BuyerCredential own;
    AnchorSet set;
    TrustedAnchorSets trusted;
    List<Integer> ring;
    org.openshard.credentials.Scope scope;
    byte[] digest;
    RingProof proof;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      random = new SecureRandom();
      List<Anchor> anchors = new ArrayList<>();
      List<BuyerCredential> creds = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        BuyerCredential c = BuyerCredential.generate(random);
        creds.add(c);
        anchors.add(c.anchor());
      }
      own = creds.get(17);
      set = AnchorSet.of(1, anchors, 0);
      trusted = new TrustedAnchorSets(2);
      trusted.add(set);
      ring = RingSelector.choose(set, own.anchor(), ringSize, random);
      scope = org.openshard.credentials.Scope.of(SELLER, EPOCH, 0);
      digest = new byte[32];
      random.nextBytes(digest);
      proof = RingProofs.prove(own, set, ring, scope, digest, random);
    }
  }

  @State(Scope.Benchmark)
  public static class Message {
    byte[] msg = "0x1111111111111111111111111111111111111111|480000|0".getBytes(StandardCharsets.US_ASCII);
  }

  @Benchmark
  public RingProof prove(Ring s) throws Exception {
    return RingProofs.prove(s.own, s.set, s.ring, s.scope, s.digest, s.random);
  }

  @Benchmark
  public Nullifier verify(Ring s) throws Exception {
    return RingProofs.verify(s.proof.commitment(), s.proof.proof(), s.trusted, SELLER, EPOCH, 8, s.digest);
  }

  @Benchmark
  public ECPoint hashToCurve(Message m) {
    return HashToCurve.hashWithProtocolDst(m.msg);
  }
}
