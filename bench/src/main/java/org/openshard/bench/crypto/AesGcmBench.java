package org.openshard.bench.crypto;

import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;

/**
 * AES-256-GCM seal + open (random 12-byte nonce, 32 bytes of AAD, 128-bit tag) of one message:
 * our {@link AesGcm} on the JDK provider (SunJCE, AES-NI/CLMUL intrinsics) against BouncyCastle's
 * pure-Java {@code GCMBlockCipher} over {@code AESEngine}.
 *
 * <p>The BouncyCastle side keeps its two cipher objects keyed across calls and only re-inits the
 * nonce, which is the cheapest way to use it; our AesGcm, as the protocol code uses it, reuses an
 * idle {@code Cipher} and re-initialises it with each nonce. Run: {@code bench/run AesGcmBench -f 1 -wi 2 -w 1 -i 3 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AesGcmBench {
  @Param({"1024", "16384"})
  public int size;

  private byte[] plaintext;
  private byte[] aad;
  private AesGcm jdk;
  private GCMModeCipher bcEncrypt;
  private GCMModeCipher bcDecrypt;

  @Setup
  public void setup() throws CryptoException {
    byte[] key = SecureRandoms.bytes(AesGcm.KEY_BYTES);
    plaintext = SecureRandoms.bytes(size);
    aad = SecureRandoms.bytes(32);
    jdk = AesGcm.of(key);
    bcEncrypt = GCMBlockCipher.newInstance(AESEngine.newInstance());
    bcDecrypt = GCMBlockCipher.newInstance(AESEngine.newInstance());
    AEADParameters keyed = new AEADParameters(new KeyParameter(key), 128, SecureRandoms.bytes(12), aad);
    bcEncrypt.init(true, keyed);
    bcDecrypt.init(false, keyed);
  }

  @Benchmark
  public byte[] jdkSealOpen() throws CryptoException {
    return jdk.open(jdk.seal(plaintext, aad), aad);
  }

  @Benchmark
  public byte[] bouncyCastleSealOpen() throws InvalidCipherTextException {
    // A null key re-uses the key schedule and GHASH tables from setup; only the nonce changes.
    AEADParameters params = new AEADParameters(null, 128, SecureRandoms.bytes(12), aad);
    bcEncrypt.init(true, params);
    byte[] ct = new byte[bcEncrypt.getOutputSize(plaintext.length)];
    int n = bcEncrypt.processBytes(plaintext, 0, plaintext.length, ct, 0);
    bcEncrypt.doFinal(ct, n);

    bcDecrypt.init(false, params);
    byte[] pt = new byte[bcDecrypt.getOutputSize(ct.length)];
    int m = bcDecrypt.processBytes(ct, 0, ct.length, pt, 0);
    bcDecrypt.doFinal(pt, m);
    return pt;
  }
}
