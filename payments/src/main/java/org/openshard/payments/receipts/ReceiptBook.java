package org.openshard.payments.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.payments.AtomicFiles;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;

/**
 * The buyer's store of verified receipts: an append-only JSON-lines file (mode 0600) of the signed
 * receipts exactly as received. With the vouchers the buyer signed, it settles disputes: the seller
 * can claim on-chain at most its highest voucher; the receipts prove what was served and charged
 * ({@link #totalCharged}); anything claimed above that is the prepaid credit the seller never
 * served, and the signed receipts show it (docs/protocol.md, section 9, "Disputes").
 */
public final class ReceiptBook {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<ByteString, Entry> byId = new LinkedHashMap<>();

  /** A verified receipt and the bytes that prove it. */
  public record Entry(Receipt receipt, SignedReceipt signed) {}

  private ReceiptBook(Path file) {
    this.file = file;
  }

  /** Opens the book, re-verifying every stored receipt against the seller id stored beside it. */
  public static ReceiptBook open(Path file) throws PaymentException {
    ReceiptBook b = new ReceiptBook(file);
    if (Files.exists(file)) {
      try {
        AtomicFiles.setOwnerOnly(file);
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = JSON.readTree(line);
          SignedReceipt sr = SignedReceipt.newBuilder()
              .setReceipt(ByteString.copyFrom(Bytes.fromHex(n.get("receipt").asText())))
              .setSignature(ByteString.copyFrom(Bytes.fromHex(n.get("signature").asText())))
              .build();
          Receipt r = Receipts.verify(sr, n.get("seller_id").asText());
          b.byId.put(r.getReceiptId(), new Entry(r, sr));
        }
      } catch (IOException | CryptoException e) {
        throw new PaymentException(Reason.STORE_UNAVAILABLE, "receipts", "cannot read the receipt book", e);
      }
    }
    return b;
  }

  /**
   * Verifies and records a receipt for a request paid on {@code channel}.
   *
   * @param maxCost the most the buyer agreed to pay for this request
   * @param authorizedCumulative the buyer's last voucher amount on the channel
   * @throws PaymentException BAD_SIGNATURE, MALFORMED, COST_LIMIT (charged above the agreed maximum),
   *     ABOVE_DEPOSIT (the channel's receipts would exceed what the buyer authorized)
   */
  public synchronized Receipt record(SignedReceipt signed, String sellerId, ChannelId channel, Usdc maxCost,
      Usdc authorizedCumulative) throws PaymentException {
    Receipt r = Receipts.verify(signed, sellerId);
    Entry prior = byId.get(r.getReceiptId());
    if (prior != null) {
      if (prior.signed().equals(signed)) {
        return prior.receipt(); // the same receipt delivered twice is recorded once
      }
      throw new PaymentException(Reason.MALFORMED, "receipt.receipt_id", "a different receipt reuses a known receipt id");
    }
    if (!ChannelId.of(r.getChannelId().toByteArray()).equals(channel)) {
      throw new PaymentException(Reason.MALFORMED, "receipt.channel_id", "receipt names another channel");
    }
    Usdc charged = Usdc.fromWire(r.getAmountCharged(), "receipt.amount_charged");
    if (charged.greaterThan(maxCost)) {
      throw new PaymentException(Reason.COST_LIMIT, "receipt.amount_charged", "charged more than the request's maximum cost");
    }
    Usdc total;
    try {
      total = totalCharged(channel).plus(charged);
    } catch (ArithmeticException e) {
      throw new PaymentException(Reason.AMOUNT_OVERFLOW, "receipt.amount_charged", "charges overflow");
    }
    if (total.greaterThan(authorizedCumulative)) {
      throw new PaymentException(Reason.ABOVE_DEPOSIT, "receipt.amount_charged", "receipts exceed the authorized total");
    }
    String line = JSON.createObjectNode()
        .put("seller_id", sellerId.toLowerCase(java.util.Locale.ROOT))
        .put("receipt", Bytes.hex(signed.getReceipt().toByteArray()))
        .put("signature", Bytes.hex(signed.getSignature().toByteArray()))
        .toString() + "\n";
    try {
      boolean created = !Files.exists(file);
      Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
      if (created) {
        AtomicFiles.setOwnerOnly(file);
      }
    } catch (IOException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "receipts", "cannot append to the receipt book", e);
    }
    byId.put(r.getReceiptId(), new Entry(r, signed));
    return r;
  }

  /** The sum of amount_charged over the channel's receipts. */
  public synchronized Usdc totalCharged(ChannelId channel) {
    Usdc t = Usdc.ZERO;
    for (Entry e : byId.values()) {
      if (e.receipt().getChannelId().equals(ByteString.copyFrom(channel.toBytes()))) {
        t = t.plus(Usdc.ofUnits(e.receipt().getAmountCharged()));
      }
    }
    return t;
  }

  public synchronized List<Entry> receipts(ChannelId channel) {
    List<Entry> out = new ArrayList<>();
    ByteString id = ByteString.copyFrom(channel.toBytes());
    for (Entry e : byId.values()) {
      if (e.receipt().getChannelId().equals(id)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * What a seller claimed on-chain beyond the served total (prepaid credit it kept): the evidence
   * for a dispute is this book's receipts plus the buyer's vouchers.
   */
  public synchronized Usdc unservedClaim(ChannelId channel, Usdc claimedOnChain) {
    return claimedOnChain.saturatingMinus(totalCharged(channel));
  }
}
