package org.openshard.payments.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.openshard.payments.AtomicFiles;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;

/**
 * A {@link ChannelStore} with one JSON file per channel in a folder. Every transition takes an
 * in-process lock and an OS file lock on the channel, reads the file, applies the transition,
 * writes a temp file, fsyncs it and renames it over the old one; so a crash leaves either the old
 * or the new state, and any number of store instances (a restarted seller, another process) see
 * the same state. Files are mode 0600.
 */
public final class FileChannelStore implements ChannelStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  private FileChannelStore(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the store folder. */
  public static FileChannelStore open(Path dir) throws PaymentException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "cannot create the channel folder", e);
    }
    return new FileChannelStore(dir.toAbsolutePath().normalize());
  }

  @Override
  public Optional<ChannelRecord> find(ChannelId id) throws PaymentException {
    return withLock(id, s -> Optional.ofNullable(s.record), false);
  }

  @Override
  public java.util.List<ChannelId> channelIds() throws PaymentException {
    java.util.List<ChannelId> ids = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.length() == 64 + ".json".length() && name.endsWith(".json") && name.substring(0, 64).matches("[0-9a-f]{64}")) {
          ids.add(ChannelId.fromHex(name.substring(0, 64)));
        }
      }
    } catch (IOException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "channel directory is unavailable", e);
    }
    return ids;
  }

  @Override
  public ChannelRecord createIfAbsent(ChannelRecord fresh) throws PaymentException {
    return withLock(fresh.id(), s -> {
      if (s.record == null) {
        s.record = fresh;
        s.dirty = true;
      }
      return s.record;
    }, true);
  }

  @Override
  public ChannelRecord refreshFunding(ChannelId id, Usdc deposit, long expiryUnix, boolean closed) throws PaymentException {
    return withLock(id, s -> {
      s.record = ChannelTransitions.refreshFunding(s.require(id), deposit, expiryUnix, closed);
      s.dirty = true;
      return s.record;
    }, true);
  }

  @Override
  public VoucherAcceptance acceptVoucher(ChannelId id, SignedVoucher voucher) throws PaymentException {
    return withLock(id, s -> {
      VoucherAcceptance a = ChannelTransitions.acceptVoucher(s.require(id), voucher);
      if (!a.resend()) {
        s.record = a.record();
        s.dirty = true;
      }
      return a;
    }, true);
  }

  @Override
  public ReserveResult reserve(ChannelId id, String admissionId, Usdc amount, long nowMs, long ttlMs) throws PaymentException {
    return withLock(id, s -> {
      ReserveResult r = ChannelTransitions.reserve(s.require(id), admissionId, amount, nowMs, ttlMs);
      s.record = r.record();
      s.dirty = true;
      return r;
    }, true);
  }

  @Override
  public Charge settle(ChannelId id, String admissionId, Usdc cost) throws PaymentException {
    return withLock(id, s -> {
      Charge c = ChannelTransitions.settle(s.require(id), s.settled, admissionId, cost);
      if (!c.repeated()) {
        s.record = c.record();
        s.dirty = true;
      }
      return c;
    }, true);
  }

  @Override
  public ChannelRecord release(ChannelId id, String admissionId) throws PaymentException {
    return withLock(id, s -> {
      s.record = ChannelTransitions.release(s.require(id), admissionId);
      s.dirty = true;
      return s.record;
    }, true);
  }

  @Override
  public void close() {}

  private interface Op<T> {
    T apply(State s) throws PaymentException;
  }

  private static final class State {
    ChannelRecord record;
    Map<String, Usdc> settled = new LinkedHashMap<>();
    boolean dirty;

    ChannelRecord require(ChannelId id) throws PaymentException {
      if (record == null) {
        throw ChannelTransitions.unknown(id);
      }
      return record;
    }
  }

  private <T> T withLock(ChannelId id, Op<T> op, boolean mayWrite) throws PaymentException {
    Path file = dir.resolve(id.hex() + ".json");
    Path lockFile = dir.resolve(id.hex() + ".lock");
    ReentrantLock lock = LOCKS.computeIfAbsent(file, k -> new ReentrantLock());
    lock.lock();
    try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lc.lock()) {
      State s = read(file);
      T result = op.apply(s);
      if (mayWrite && s.dirty) {
        write(file, s);
      }
      return result;
    } catch (IOException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "store", "channel file is unavailable", e);
    } finally {
      lock.unlock();
    }
  }

  private static State read(Path file) throws IOException, PaymentException {
    State s = new State();
    if (!Files.exists(file)) {
      return s;
    }
    JsonNode root = JSON.readTree(Files.readAllBytes(file));
    Map<String, String> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("channel").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      fields.put(e.getKey(), e.getValue().asText());
    }
    Map<String, Reservation> res = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("reservations").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      res.put(e.getKey(), ChannelRecordCodec.parseReservation(e.getValue().asText()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("settled").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      s.settled.put(e.getKey(), Usdc.ofUnits(ChannelRecordCodec.parseUint(e.getValue().asText())));
    }
    s.record = ChannelRecordCodec.fromFields(fields, res);
    return s;
  }

  private static void write(Path file, State s) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode ch = root.putObject("channel");
    ChannelRecordCodec.toFields(s.record).forEach(ch::put);
    ObjectNode res = root.putObject("reservations");
    s.record.reservations().forEach((k, v) -> res.put(k, ChannelRecordCodec.reservationValue(v)));
    ObjectNode st = root.putObject("settled");
    s.settled.forEach((k, v) -> st.put(k, Long.toString(v.units())));
    AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }
}
