package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.receipts.ReceiptBook;
import org.openshard.payments.receipts.Receipts;
import org.openshard.payments.settlement.SellerSettlement;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;

/**
 * One test per payment-channel bug listed in shared/reference/design-notes.md ("Payment-channel bugs
 * seen in a comparable public project"), each showing the design does not have it.
 */
class DesignNotesBugsTest {
  @TempDir Path dir;
  PaymentWorld w;

  @BeforeEach
  void setUp() throws Exception {
    w = new PaymentWorld(dir);
  }

  PaymentWorld.RawChannel rawChannel(long deposit) throws Exception {
    return w.rawChannel(deposit, 7 * 24 * 3600);
  }

  PaymentAuthorization auth(PaymentWorld.RawChannel c, long cumulative, long seq, boolean withOpen) {
    return w.auth(c, cumulative, seq, withOpen);
  }

  @Test
  void closingWithAStaleFirstAuthorization() throws Exception {
    PaymentWorld.RawChannel c = rawChannel(10_000);
    w.seller.release(w.seller.admit(auth(c, 1_000, 1, true), w.rates, Usdc.ofUnits(1)));
    w.seller.release(w.seller.admit(auth(c, 2_500, 2, false), w.rates, Usdc.ofUnits(1)));
    w.seller.release(w.seller.admit(auth(c, 4_000, 3, false), w.rates, Usdc.ofUnits(1)));
    w.restartSeller();
    SellerSettlement settlement = new SellerSettlement(w.store, w.ledger, w.sellerWallet);
    SellerSettlement.ClaimResult r = settlement.claimHighest(c.id());
    assertEquals(SellerSettlement.Outcome.PAID, r.outcome());
    assertEquals(4_000, r.paid().units(), "claimed with the highest voucher, not the first authorization");
    assertEquals(3, r.voucher().message().sequence());
    assertEquals(4_000, w.ledger.balanceOf(w.payee).units());
    // the first voucher can no longer be used, and a second close attempt is a no-op, not a retry loop
    SignedVoucher first = PaymentProtos.voucher(auth(c, 1_000, 1, false).getVoucher());
    assertEquals(Reason.STALE_VOUCHER, assertThrows(PaymentException.class, () -> w.ledger.claim(w.sellerWallet, first)).reason());
    assertEquals(SellerSettlement.Outcome.ALREADY_CLAIMED, settlement.claimHighest(c.id()).outcome());
  }

  @Test
  void acceptingACumulativeVoucherAboveTheDeposit() throws Exception {
    PaymentWorld.RawChannel c = rawChannel(1_000);
    PaymentException e = assertThrows(PaymentException.class,
        () -> w.seller.admit(auth(c, 1_001, 1, true), w.rates, Usdc.ofUnits(1)));
    assertEquals(Reason.ABOVE_DEPOSIT, e.reason());
    assertTrue(w.seller.channel(c.id()).orElseThrow().authorized().isZero(), "nothing was authorized");
    // and even if such a voucher reached the ledger, the payout is capped so the channel can close
    SignedVoucher above = PaymentProtos.voucher(auth(c, 5_000, 1, false).getVoucher());
    assertEquals(1_000, w.ledger.claim(w.sellerWallet, above).units());
  }

  @Test
  void aTopUpSentBeforeTheVoucherThatNeededIt() throws Exception {
    PaymentWorld.RawChannel c = rawChannel(1_000);
    w.seller.release(w.seller.admit(auth(c, 1_000, 1, true), w.rates, Usdc.ofUnits(1)));
    // the voucher arrives before the top-up is final: rejected, nothing changes, nothing is poisoned
    PaymentAuthorization needsTopUp = auth(c, 3_000, 2, false);
    assertEquals(Reason.ABOVE_DEPOSIT, assertThrows(PaymentException.class,
        () -> w.seller.admit(needsTopUp, w.rates, Usdc.ofUnits(1))).reason());
    assertEquals(1, w.seller.channel(c.id()).orElseThrow().lastSequence());
    // the top-up lands; the seller's cached deposit is stale, so it re-reads the ledger and accepts
    w.ledger.topUp(w.buyerWallet, c.id(), Usdc.ofUnits(5_000), 0);
    PaymentAdmission a = w.seller.admit(needsTopUp, w.rates, Usdc.ofUnits(1));
    assertEquals(3_000, a.authorized().units());
    assertEquals(6_000, w.seller.channel(c.id()).orElseThrow().deposit().units());

    // the buyer never sends a voucher before its top-up is final
    w.buyer.authorize(w.terms(), Usdc.ofUnits(4_000_000));
    BuyerChannel bc = w.buyer.channel(w.terms()).orElseThrow();
    PaymentAuthorization big = w.buyer.authorize(w.terms(), Usdc.ofUnits(3_000_000));
    LedgerChannel onLedger = w.ledger.channel(bc.id()).orElseThrow();
    assertTrue(onLedger.deposit().units() >= big.getVoucher().getCumulativeAmount(), "top-up final before the voucher");
    w.seller.admit(big, w.rates, Usdc.ofUnits(1));
  }

  @Test
  void oneKindOfSignaturePersistedAsAnother() throws Exception {
    PaymentWorld.RawChannel c = rawChannel(10_000);
    w.seller.release(w.seller.admit(auth(c, 2_000, 1, true), w.rates, Usdc.ofUnits(1)));
    w.restartSeller();
    SignedVoucher stored = w.seller.channel(c.id()).orElseThrow().latest().orElseThrow();
    stored.verify(w.ledger.domain(), c.key().address()); // a voucher signature, verifiable as a voucher
    Path file = dir.resolve("seller").resolve(c.id().hex() + ".json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(Files.readAllBytes(file));

    // the channel-open signature stored where the voucher signature belongs: the claim fails once,
    // typed as a permanent BAD_SIGNATURE (no endless close retries)
    ObjectNode swapped = root.deepCopy();
    ((ObjectNode) swapped.get("channel")).put("v_sig", c.open().signature().hex());
    Files.write(file, json.writeValueAsBytes(swapped));
    SellerSettlement s = new SellerSettlement(FileChannelStore.open(dir.resolve("seller")), w.ledger, w.sellerWallet);
    PaymentException e = assertThrows(PaymentException.class, () -> s.claimHighest(c.id()));
    assertEquals(Reason.BAD_SIGNATURE, e.reason());
    assertFalse(e.reason().retryable());

    // a record claiming another kind of signature is refused at load
    ObjectNode relabelled = root.deepCopy();
    ((ObjectNode) relabelled.get("channel")).put("v_kind", "CHANNEL_OPEN");
    Files.write(file, json.writeValueAsBytes(relabelled));
    assertEquals(Reason.STORE_UNAVAILABLE, assertThrows(PaymentException.class,
        () -> FileChannelStore.open(dir.resolve("seller")).find(c.id())).reason());

    // restored, the claim succeeds with the voucher
    Files.write(file, json.writeValueAsBytes(root));
    assertEquals(2_000, new SellerSettlement(FileChannelStore.open(dir.resolve("seller")), w.ledger, w.sellerWallet)
        .claimHighest(c.id()).paid().units());
  }

  @Test
  void catchUpMessagesCountedTwice() throws Exception {
    PaymentWorld.RawChannel c = rawChannel(10_000);
    PaymentAuthorization a = auth(c, 1_000, 1, true);
    PaymentAdmission first = w.seller.admit(a, w.rates, Usdc.ofUnits(100));
    for (int i = 0; i < 5; i++) { // the same voucher replayed as catch-up
      w.seller.release(w.seller.admit(a, w.rates, Usdc.ofUnits(100)));
    }
    ChannelRecord r = w.seller.channel(c.id()).orElseThrow();
    assertEquals(1_000, r.authorized().units(), "the same voucher authorizes once");
    SettledPayment s1 = w.seller.settle(first, PaymentWorld.usage(40, 10));
    SettledPayment s2 = w.seller.settle(first, PaymentWorld.usage(40, 10));
    assertEquals(60, s1.charged().units());
    assertTrue(s2.repeated());
    assertEquals(60, w.seller.channel(c.id()).orElseThrow().consumed().units(), "a repeated settle charges once");

    // the buyer's receipt book counts a receipt delivered twice once
    Secp256k1PrivateKey sellerId = Secp256k1PrivateKey.generate();
    Receipt receipt = s1.applyTo(Receipt.newBuilder().setReceiptId(Receipts.newReceiptId())
        .setSellerId(sellerId.publicKey().ethereumAddress())).build();
    SignedReceipt sr = Receipts.sign(sellerId, receipt);
    ReceiptBook book = ReceiptBook.open(dir.resolve("receipts.jsonl"));
    book.record(sr, receipt.getSellerId(), c.id(), Usdc.ofUnits(100), Usdc.ofUnits(1_000));
    book.record(sr, receipt.getSellerId(), c.id(), Usdc.ofUnits(100), Usdc.ofUnits(1_000));
    assertEquals(60, book.totalCharged(c.id()).units());
    assertEquals(60, ReceiptBook.open(dir.resolve("receipts.jsonl")).totalCharged(c.id()).units());
  }

  @Test
  void afterASellerRestartInferenceServedForFree() throws Exception {
    PaymentWorld.RawChannel c = rawChannel(10_000);
    PaymentAuthorization a = auth(c, 500, 1, true);
    PaymentAdmission adm = w.seller.admit(a, w.rates, Usdc.ofUnits(500));
    w.restartSeller(); // restart mid-request: the reservation and the voucher survive
    assertEquals(500, w.seller.settle(adm, PaymentWorld.usage(300, 100)).charged().units());
    w.restartSeller();
    // the old voucher gives no fresh credit after a restart
    PaymentException e = assertThrows(PaymentException.class, () -> w.seller.admit(a, w.rates, Usdc.ofUnits(100)));
    assertEquals(Reason.PAYMENT_REQUIRED, e.reason());
    PaymentRequired pr = e.paymentRequired().orElseThrow();
    assertEquals(100, pr.getAmountDue());
    assertEquals(500, pr.getChannel().getConsumed());
    assertEquals(500, pr.getChannel().getAuthorized());
  }

  @Test
  void reconnectingInflatedTheSpend() throws Exception {
    BuyerChannels.Negotiation n = w.buyer.negotiate(w.terms(), Usdc.ofUnits(1_000));
    PaymentRequired pr = assertThrows(PaymentException.class, () -> w.seller.admit(null, w.rates, Usdc.ofUnits(1_000)))
        .paymentRequired().orElseThrow();
    PaymentAuthorization sent = n.respond(pr);
    // the stream drops before the seller sees it; the buyer reconnects (and restarts) and is asked again
    w.restartBuyer();
    for (int i = 0; i < 3; i++) {
      PaymentAuthorization again = w.buyer.negotiate(w.terms(), Usdc.ofUnits(1_000)).respond(pr);
      assertEquals(sent.getVoucher(), again.getVoucher(), "the same voucher is resent, never a larger one");
    }
    assertEquals(1_000, w.buyer.channel(w.terms()).orElseThrow().cumulative().units());
    PaymentAdmission a = w.seller.admit(sent, w.rates, Usdc.ofUnits(1_000));
    // reconnect after admission: the seller reports what it holds; resending the open never resets it
    w.seller.settle(a, PaymentWorld.usage(100, 0));
    PaymentAuthorization withOpen = sent.toBuilder().setOpen(PaymentProtos.toProto(
        w.buyer.channel(w.terms()).orElseThrow().open())).build();
    PaymentAdmission b = w.seller.admit(withOpen, w.rates, Usdc.ofUnits(900));
    assertEquals(100, w.seller.channel(b.channelId()).orElseThrow().consumed().units());
    assertEquals(1_000, w.buyer.channel(w.terms()).orElseThrow().cumulative().units());
    assertEquals(ByteString.copyFrom(b.channelId().toBytes()), sent.getVoucher().getChannelId());
  }
}
