package org.openshard.bench.crypto;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.crypto.SecureRandoms;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * The per-request receipt signature (secp256k1 ECDSA, RFC 6979, recoverable) and its check, each
 * against what it replaced: web3j's {@code Sign.signMessage} (derives the public key, signs, then
 * recovers up to four times to find v), and address recovery instead of verification against the
 * seller's known key. Run: {@code bench/run ReceiptSignatureBench -f 1 -wi 2 -w 1 -i 3 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReceiptSignatureBench {
  private static final String CONTEXT = "openshard.v1.Receipt";
  private Secp256k1PrivateKey key;
  private Secp256k1PublicKey publicKey;
  private ECKeyPair web3jPair;
  private byte[] payload;
  private byte[] digest;
  private byte[] signature;

  @Setup
  public void setup() {
    key = Secp256k1PrivateKey.generate();
    publicKey = key.publicKey();
    web3jPair = ECKeyPair.create(key.scalar());
    payload = SecureRandoms.bytes(200);
    digest = IdentitySignatures.digest(CONTEXT, payload);
    signature = IdentitySignatures.sign(key, CONTEXT, payload);
  }

  @Benchmark
  public byte[] signDirect() {
    return IdentitySignatures.signDigest(key, digest);
  }

  @Benchmark
  public Sign.SignatureData signWeb3j() {
    return Sign.signMessage(digest, ECKeyPair.create(key.scalar()), false);
  }

  @Benchmark
  public Sign.SignatureData signWeb3jKeyPairReused() {
    return Sign.signMessage(digest, web3jPair, false);
  }

  @Benchmark
  public String checkByRecovery() throws CryptoException {
    return IdentitySignatures.recoverAddress(CONTEXT, payload, signature);
  }

  @Benchmark
  public Secp256k1PublicKey checkAgainstKnownKey() throws CryptoException {
    IdentitySignatures.verify(publicKey, CONTEXT, payload, signature);
    return publicKey;
  }
}
