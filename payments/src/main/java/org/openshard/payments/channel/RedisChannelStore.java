package org.openshard.payments.channel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link ChannelStore} in Redis. Each transition is one Lua script (atomic on the server), so any
 * number of seller processes can share the state. Keys, with a hash tag so one channel's keys share
 * a cluster slot: {@code <prefix>{<id>}} (hash of record fields), {@code <prefix>{<id>}:res}
 * (admission id → "amount:createdAtMs"), {@code <prefix>{<id>}:settled:<admission>} (the charge,
 * with a TTL). Amounts are decimal strings and the scripts do exact decimal-string arithmetic;
 * Lua numbers are never used for money. Any Redis failure fails closed (STORE_UNAVAILABLE).
 */
public final class RedisChannelStore implements ChannelStore {
  public static final String DEFAULT_PREFIX = "openshard:pay:ch:";

  private static final String PRELUDE = script("prelude.lua");
  private static final String CREATE = PRELUDE + script("create.lua");
  private static final String REFRESH = PRELUDE + script("refresh.lua");
  private static final String ACCEPT = PRELUDE + script("accept.lua");
  private static final String RESERVE = PRELUDE + script("reserve.lua");
  private static final String SETTLE = PRELUDE + script("settle.lua");
  private static final String RELEASE = PRELUDE + script("release.lua");

  private final UnifiedJedis redis;
  private final String prefix;
  private final boolean owned;

  private RedisChannelStore(UnifiedJedis redis, String prefix, boolean owned) {
    this.redis = redis;
    this.prefix = prefix;
    this.owned = owned;
  }

  /** Connects to {@code redis://host:port}. */
  public static RedisChannelStore connect(String uri, String prefix) {
    return new RedisChannelStore(RedisClient.create(URI.create(uri)), prefix, true);
  }

  /** Uses an existing client (not closed by {@link #close()}). */
  public static RedisChannelStore using(UnifiedJedis redis, String prefix) {
    return new RedisChannelStore(redis, prefix, false);
  }

  @Override
  public Optional<ChannelRecord> find(ChannelId id) throws PaymentException {
    try {
      Map<String, String> fields = redis.hgetAll(key(id));
      if (fields.isEmpty()) {
        return Optional.empty();
      }
      Map<String, Reservation> res = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : redis.hgetAll(key(id) + ":res").entrySet()) {
        res.put(e.getKey(), ChannelRecordCodec.parseReservation(e.getValue()));
      }
      return Optional.of(ChannelRecordCodec.fromFields(fields, res));
    } catch (JedisException e) {
      throw unavailable(e);
    }
  }

  @Override
  public List<ChannelId> channelIds() throws PaymentException {
    List<ChannelId> ids = new ArrayList<>();
    String glob = prefix.replaceAll("([\\\\*?\\[\\]])", "\\\\$1") + "{*}";
    ScanParams params = new ScanParams().match(glob).count(500);
    String cursor = ScanParams.SCAN_POINTER_START;
    try {
      do {
        ScanResult<String> page = redis.scan(cursor, params);
        for (String k : page.getResult()) {
          String hex = k.length() == prefix.length() + 66 ? k.substring(prefix.length() + 1, k.length() - 1) : "";
          if (hex.matches("[0-9a-f]{64}")) {
            ids.add(ChannelId.fromHex(hex));
          }
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    } catch (JedisException e) {
      throw unavailable(e);
    }
    return ids;
  }

  @Override
  public ChannelRecord createIfAbsent(ChannelRecord fresh) throws PaymentException {
    List<String> args = new ArrayList<>();
    ChannelRecordCodec.toFields(fresh).forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    return run(CREATE, fresh.id(), args).record;
  }

  @Override
  public ChannelRecord refreshFunding(ChannelId id, Usdc deposit, long expiryUnix, boolean closed) throws PaymentException {
    return run(REFRESH, id, List.of(Long.toString(deposit.units()), Long.toString(expiryUnix), closed ? "1" : "0")).record;
  }

  @Override
  public VoucherAcceptance acceptVoucher(ChannelId id, SignedVoucher v) throws PaymentException {
    Result r = run(ACCEPT, id, List.of(
        Long.toString(v.message().cumulativeAmount().units()),
        Long.toString(v.message().sequence()),
        v.message().usageDigest().hex(),
        v.signature().hex()));
    return new VoucherAcceptance(r.record, r.flag.equals("resend"));
  }

  @Override
  public ReserveResult reserve(ChannelId id, String admissionId, Usdc amount, long nowMs, long ttlMs) throws PaymentException {
    Result r = run(RESERVE, id, List.of(admissionId, Long.toString(amount.units()), Long.toString(nowMs), Long.toString(ttlMs)));
    return new ReserveResult(r.record, r.flag.equals("reserved"), Usdc.ofUnits(ChannelRecordCodec.parseUint(r.value)));
  }

  @Override
  public Charge settle(ChannelId id, String admissionId, Usdc cost) throws PaymentException {
    Result r = run(SETTLE, id, List.of(admissionId, Long.toString(cost.units()), Long.toString(SETTLED_MEMORY_MS)),
        key(id) + ":settled:" + admissionId);
    return new Charge(Usdc.ofUnits(ChannelRecordCodec.parseUint(r.value)), r.record, r.flag.equals("repeated"));
  }

  @Override
  public ChannelRecord release(ChannelId id, String admissionId) throws PaymentException {
    return run(RELEASE, id, List.of(admissionId)).record;
  }

  @Override
  public void close() {
    if (owned) {
      redis.close();
    }
  }

  private String key(ChannelId id) {
    return prefix + "{" + id.hex() + "}";
  }

  private record Result(String flag, String value, ChannelRecord record) {}

  private Result run(String script, ChannelId id, List<String> args, String... extraKeys) throws PaymentException {
    List<String> keys = new ArrayList<>(List.of(key(id), key(id) + ":res"));
    keys.addAll(List.of(extraKeys));
    Object out;
    try {
      out = redis.eval(script, keys, args);
    } catch (JedisException e) {
      throw unavailable(e);
    }
    if (!(out instanceof List<?> list) || list.isEmpty()) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "unexpected reply from the channel script");
    }
    String status = str(list.get(0));
    if ("ERR".equals(status)) {
      Reason reason;
      try {
        reason = Reason.valueOf(str(list.get(1)));
      } catch (IllegalArgumentException e) {
        reason = Reason.STORE_UNAVAILABLE;
      }
      throw new PaymentException(reason, "payment", str(list.get(2)));
    }
    Map<String, String> fields = pairs(list.get(3));
    Map<String, Reservation> res = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : pairs(list.get(4)).entrySet()) {
      res.put(e.getKey(), ChannelRecordCodec.parseReservation(e.getValue()));
    }
    return new Result(str(list.get(1)), str(list.get(2)), ChannelRecordCodec.fromFields(fields, res));
  }

  private static Map<String, String> pairs(Object o) throws PaymentException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!(o instanceof List<?> l)) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "unexpected reply from the channel script");
    }
    for (int i = 0; i + 1 < l.size(); i += 2) {
      m.put(str(l.get(i)), str(l.get(i + 1)));
    }
    return m;
  }

  private static String str(Object o) {
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return String.valueOf(o);
  }

  private static PaymentException unavailable(JedisException e) {
    return new PaymentException(Reason.STORE_UNAVAILABLE, "store", "redis is unavailable: " + e.getClass().getSimpleName(), e);
  }

  private static String script(String name) {
    try (InputStream in = RedisChannelStore.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot read Lua script " + name, e);
    }
  }
}
