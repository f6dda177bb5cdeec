package org.openshard.payments.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.Usage;

class ReceiptsTest {
  @TempDir Path dir;
  final Secp256k1PrivateKey seller = Secp256k1PrivateKey.generate();
  final String sellerId = seller.publicKey().ethereumAddress();
  final ChannelId channel = ChannelId.random();

  Receipt receipt(long charged) {
    ResponseHasher h = new ResponseHasher();
    h.add(new byte[] {1, 2, 3});
    return Receipt.newBuilder()
        .setReceiptId(Receipts.newReceiptId())
        .setSellerId(sellerId)
        .setRequestHash(Receipts.requestHash(new byte[16], new byte[] {9}))
        .setResponseHash(h.finish())
        .setUsage(Usage.newBuilder().setPromptTokens(10).setCompletionTokens(5))
        .setAmountCharged(charged)
        .setChannelId(ByteString.copyFrom(channel.toBytes()))
        .setVoucherSequence(1)
        .setIssuedAtMs(1_700_000_000_000L)
        .setOfferingId("o")
        .build();
  }

  @Test
  void signAndVerify() throws Exception {
    Receipt r = receipt(20);
    SignedReceipt sr = Receipts.sign(seller, r);
    assertEquals(r, Receipts.verify(sr, sellerId));
    assertEquals(r, Receipts.verify(sr, sellerId.toUpperCase().replace("0X", "0x")));
    String other = Secp256k1PrivateKey.generate().publicKey().ethereumAddress();
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> Receipts.verify(sr, other)).reason());
    byte[] bytes = sr.getReceipt().toByteArray();
    bytes[bytes.length - 1] ^= 1;
    SignedReceipt tampered = sr.toBuilder().setReceipt(ByteString.copyFrom(bytes)).build();
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> Receipts.verify(tampered, sellerId)).reason());
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(PaymentException.class,
        () -> Receipts.verify(sr.toBuilder().setSignature(ByteString.copyFrom(new byte[65])).build(), sellerId)).reason());
    assertThrows(IllegalArgumentException.class, () -> Receipts.sign(Secp256k1PrivateKey.generate(), r));
  }

  @Test
  void receiptBookChecksStoresAndReloads() throws Exception {
    Path f = dir.resolve("receipts.jsonl");
    ReceiptBook book = ReceiptBook.open(f);
    book.record(Receipts.sign(seller, receipt(300)), sellerId, channel, Usdc.ofUnits(500), Usdc.ofUnits(1_000));
    book.record(Receipts.sign(seller, receipt(400)), sellerId, channel, Usdc.ofUnits(500), Usdc.ofUnits(1_000));
    assertEquals(700, book.totalCharged(channel).units());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    // charged above the agreed maximum
    assertEquals(Reason.COST_LIMIT, assertThrows(PaymentException.class, () -> book.record(
        Receipts.sign(seller, receipt(600)), sellerId, channel, Usdc.ofUnits(500), Usdc.ofUnits(10_000))).reason());
    // receipts summing above what was authorized
    assertEquals(Reason.ABOVE_DEPOSIT, assertThrows(PaymentException.class, () -> book.record(
        Receipts.sign(seller, receipt(400)), sellerId, channel, Usdc.ofUnits(500), Usdc.ofUnits(1_000))).reason());
    // another channel
    assertEquals(Reason.MALFORMED, assertThrows(PaymentException.class, () -> book.record(
        Receipts.sign(seller, receipt(1)), sellerId, ChannelId.random(), Usdc.ofUnits(500), Usdc.ofUnits(1_000))).reason());
    ReceiptBook reloaded = ReceiptBook.open(f);
    assertEquals(700, reloaded.totalCharged(channel).units());
    assertEquals(2, reloaded.receipts(channel).size());
    assertEquals(300, reloaded.unservedClaim(channel, Usdc.ofUnits(1_000)).units());
  }
}
