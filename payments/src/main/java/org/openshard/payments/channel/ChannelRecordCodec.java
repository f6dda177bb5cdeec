package org.openshard.payments.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.Eip712Signature;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.money.Usdc;

/**
 * A channel record as flat string fields (a Redis hash, or the JSON of a channel file). Amounts are
 * canonical decimal strings of base units. The latest voucher's signature is stored with its kind
 * ({@code v_kind = VOUCHER}) and loading refuses any other kind, so a channel-open signature can
 * never come back as the signature to claim with.
 */
final class ChannelRecordCodec {
  private static final Pattern UINT = Pattern.compile("0|[1-9][0-9]{0,18}");

  private ChannelRecordCodec() {}

  static Map<String, String> toFields(ChannelRecord r) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("id", r.id().hex());
    f.put("signer", r.signer().hex());
    f.put("payee", r.payee().hex());
    f.put("deposit", Long.toString(r.deposit().units()));
    f.put("expiry", Long.toString(r.expiryUnix()));
    f.put("closed", r.closed() ? "1" : "0");
    f.put("authorized", Long.toString(r.authorized().units()));
    f.put("consumed", Long.toString(r.consumed().units()));
    f.put("reserved", Long.toString(r.reserved().units()));
    f.put("last_seq", Long.toString(r.lastSequence()));
    if (r.latestVoucher() != null) {
      SignedVoucher v = r.latestVoucher();
      f.put("v_cum", Long.toString(v.message().cumulativeAmount().units()));
      f.put("v_seq", Long.toString(v.message().sequence()));
      f.put("v_digest", v.message().usageDigest().hex());
      f.put("v_sig", v.signature().hex());
      f.put("v_kind", v.signature().kind().name());
    }
    return f;
  }

  static ChannelRecord fromFields(Map<String, String> f, Map<String, Reservation> reservations) throws PaymentException {
    try {
      ChannelId id = ChannelId.fromHex(req(f, "id"));
      EthAddress payee = EthAddress.parse(req(f, "payee"), "payee");
      SignedVoucher latest = null;
      if (f.containsKey("v_sig")) {
        if (!Eip712Signature.Kind.VOUCHER.name().equals(f.get("v_kind"))) {
          throw new PaymentException(Reason.STORE_UNAVAILABLE, "store",
              "stored latest voucher signature is of kind " + f.get("v_kind") + ", not VOUCHER");
        }
        latest = new SignedVoucher(
            new VoucherMessage(id, payee, amount(f, "v_cum"), num(f, "v_seq"), Bytes32.fromHex(req(f, "v_digest"), "v_digest")),
            Eip712Signature.fromHex(Eip712Signature.Kind.VOUCHER, req(f, "v_sig"), "v_sig"));
      }
      return new ChannelRecord(
          id,
          EthAddress.parse(req(f, "signer"), "signer"),
          payee,
          amount(f, "deposit"),
          num(f, "expiry"),
          "1".equals(f.get("closed")),
          amount(f, "authorized"),
          amount(f, "consumed"),
          amount(f, "reserved"),
          num(f, "last_seq"),
          latest,
          reservations);
    } catch (PaymentException e) {
      if (e.reason() == Reason.STORE_UNAVAILABLE) {
        throw e;
      }
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "stored channel record is corrupt: " + e.getMessage());
    }
  }

  /** "amount:createdAtMs". */
  static String reservationValue(Reservation r) {
    return r.amount().units() + ":" + r.createdAtMs();
  }

  static Reservation parseReservation(String s) throws PaymentException {
    int c = s.indexOf(':');
    if (c < 0) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "stored reservation is corrupt");
    }
    return new Reservation(Usdc.ofUnits(parseUint(s.substring(0, c))), parseUint(s.substring(c + 1)));
  }

  static long parseUint(String s) throws PaymentException {
    if (s == null || !UINT.matcher(s).matches()) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "stored number is not a canonical integer");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "stored number is out of range");
    }
  }

  private static String req(Map<String, String> f, String k) throws PaymentException {
    String v = f.get(k);
    if (v == null) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "stored channel lacks " + k);
    }
    return v;
  }

  private static Usdc amount(Map<String, String> f, String k) throws PaymentException {
    return Usdc.ofUnits(parseUint(req(f, k)));
  }

  private static long num(Map<String, String> f, String k) throws PaymentException {
    return parseUint(req(f, k));
  }
}
