package org.openshard.payments.eip712;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Secp256k1;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.channel.ChannelKey;
import org.openshard.payments.money.Usdc;

/** The OpenShard typed data, checked against an independent hand-written ABI encoding. */
class PaymentTypedDataTest {
  static final EthAddress ESCROW = EthAddress.of("0x1111111111111111111111111111111111111111");
  static final EthAddress PAYEE = EthAddress.of("0x2222222222222222222222222222222222222222");
  static final Eip712Domain DOMAIN = Eip712Domain.escrow(8453, ESCROW);

  private static byte[] word(BigInteger v) {
    return Secp256k1.to32Bytes(v);
  }

  private static byte[] word(EthAddress a) {
    return word(new BigInteger(a.hex().substring(2), 16));
  }

  private static byte[] keccak(String s) {
    return Hashes.keccak256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] manualDomainSeparator(Eip712Domain d) {
    return Hashes.keccak256(keccak(PaymentTypes.DOMAIN), keccak(d.name()), keccak(d.version()),
        word(BigInteger.valueOf(d.chainId())), word(d.verifyingContract()));
  }

  @Test
  void voucherDigestMatchesHandEncoding() throws Exception {
    ChannelId id = ChannelId.fromHex("ab".repeat(32));
    Bytes32 usage = Bytes32.fromHex("cd".repeat(32), "u");
    VoucherMessage v = new VoucherMessage(id, PAYEE, Usdc.ofUnits(Long.MAX_VALUE), 7, usage);
    byte[] structHash = Hashes.keccak256(keccak(PaymentTypes.VOUCHER), id.toBytes(), word(PAYEE),
        word(BigInteger.valueOf(Long.MAX_VALUE)), word(BigInteger.valueOf(7)), usage.toBytes());
    byte[] expected = Hashes.keccak256(new byte[] {0x19, 0x01}, manualDomainSeparator(DOMAIN), structHash);
    assertArrayEquals(expected, v.digest(DOMAIN));
  }

  @Test
  void channelOpenDigestMatchesHandEncoding() throws Exception {
    ChannelId id = ChannelId.fromHex("01".repeat(32));
    EthAddress signer = EthAddress.of("0x3333333333333333333333333333333333333333");
    ChannelOpenMessage o = new ChannelOpenMessage(id, signer, PAYEE, Usdc.ofUnits(5_000_000), 1_900_000_000L);
    byte[] structHash = Hashes.keccak256(keccak(PaymentTypes.CHANNEL_OPEN), id.toBytes(), word(signer), word(PAYEE),
        word(BigInteger.valueOf(5_000_000)), word(BigInteger.valueOf(1_900_000_000L)));
    assertArrayEquals(Hashes.keccak256(new byte[] {0x19, 0x01}, manualDomainSeparator(DOMAIN), structHash), o.digest(DOMAIN));
  }

  @Test
  void typehashesAreTheDocumentedOnes() {
    assertEquals(Bytes.hex(keccak("Voucher(bytes32 channelId,address payee,uint256 cumulativeAmount,uint256 sequence,bytes32 usageDigest)")),
        Bytes.hex(PaymentTypes.typehash(PaymentTypes.VOUCHER)));
    assertEquals(Bytes.hex(keccak("ChannelOpen(bytes32 channelId,address signer,address payee,uint256 maxAmount,uint256 expiry)")),
        Bytes.hex(PaymentTypes.typehash(PaymentTypes.CHANNEL_OPEN)));
  }

  @Test
  void typehashesMatchDocsProtocolSection9() {
    assertEquals("200a688227620dda487e54766ebedf6da80634556d4e70b1863d1d1646dac88b", Bytes.hex(PaymentTypes.typehash(PaymentTypes.VOUCHER)));
    assertEquals("456c1ca2af334bf77bd544c36c43c4ab122bd0e73f20a5e1761b360af4bf00d6",
        Bytes.hex(PaymentTypes.typehash(PaymentTypes.CHANNEL_OPEN)));
    assertEquals("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f", Bytes.hex(PaymentTypes.typehash(PaymentTypes.DOMAIN)));
  }

  @Test
  void chainIdAndContractAreBoundIntoTheDigest() {
    VoucherMessage v = new VoucherMessage(ChannelId.random(), PAYEE, Usdc.ofUnits(1), 1, Bytes32.ZERO);
    assertFalse(Arrays.equals(v.digest(DOMAIN), v.digest(Eip712Domain.escrow(84532, ESCROW))));
    assertFalse(Arrays.equals(v.digest(DOMAIN), v.digest(Eip712Domain.escrow(8453, PAYEE))));
  }

  @Test
  void channelKeySignsVouchersThatRecoverToTheChannelKeyAddress() throws Exception {
    ChannelKey key = ChannelKey.generate();
    VoucherMessage m = new VoucherMessage(ChannelId.random(), PAYEE, Usdc.ofUnits(42), 3, Bytes32.ZERO);
    SignedVoucher sv = key.signVoucher(DOMAIN, m);
    sv.verify(DOMAIN, key.address());
    assertEquals(key.address(), sv.signature().recover(m.digest(DOMAIN)));
    PaymentException e = assertThrows(PaymentException.class, () -> sv.verify(DOMAIN, ChannelKey.generate().address()));
    assertEquals(PaymentException.Reason.BAD_SIGNATURE, e.reason());
    // a restored key signs identically
    assertEquals(key.address(), ChannelKey.fromBytes(key.toBytes()).address());
  }

  @Test
  void signatureKindsCannotBeMixed() throws Exception {
    ChannelKey key = ChannelKey.generate();
    SignedChannelOpen open = key.signOpen(DOMAIN,
        new ChannelOpenMessage(ChannelId.random(), key.address(), PAYEE, Usdc.ofUnits(10), 2_000_000_000L));
    assertThrows(IllegalArgumentException.class, () -> new SignedVoucher(
        new VoucherMessage(open.message().channelId(), PAYEE, Usdc.ofUnits(10), 1, Bytes32.ZERO), open.signature()));
    PaymentException e = assertThrows(PaymentException.class,
        () -> open.signature().requireKind(Eip712Signature.Kind.VOUCHER));
    assertEquals(PaymentException.Reason.BAD_SIGNATURE, e.reason());
    assertNotEquals(open.signature(), Eip712Signature.of(Eip712Signature.Kind.VOUCHER, open.signature().toBytes(), "s"));
  }

  @Test
  void malformedAndHighSSignaturesAreRejected() throws Exception {
    ChannelKey key = ChannelKey.generate();
    VoucherMessage m = new VoucherMessage(ChannelId.random(), PAYEE, Usdc.ofUnits(1), 1, Bytes32.ZERO);
    byte[] sig = key.signVoucher(DOMAIN, m).signature().toBytes();
    assertEquals(PaymentException.Reason.MALFORMED, assertThrows(PaymentException.class,
        () -> Eip712Signature.of(Eip712Signature.Kind.VOUCHER, Arrays.copyOf(sig, 64), "s")).reason());
    // s' = n - s with flipped v: the malleable twin must not verify
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] twin = sig.clone();
    System.arraycopy(Secp256k1.to32Bytes(Secp256k1.N.subtract(s)), 0, twin, 32, 32);
    twin[64] = (byte) (sig[64] == 27 ? 28 : 27);
    Eip712Signature t = Eip712Signature.of(Eip712Signature.Kind.VOUCHER, twin, "s");
    assertEquals(PaymentException.Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> t.recover(m.digest(DOMAIN))).reason());
    byte[] badV = sig.clone();
    badV[64] = 29;
    Eip712Signature bv = Eip712Signature.of(Eip712Signature.Kind.VOUCHER, badV, "s");
    assertEquals(PaymentException.Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> bv.recover(m.digest(DOMAIN))).reason());
  }
}
