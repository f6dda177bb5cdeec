package org.openshard.bridge.receipts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.SecureRandoms;

/**
 * Issues ACI receipts: JCS documents signed with the receipt key (Ed25519 over the JCS form of the
 * document without {@code signature}).
 *
 * <pre>{"api_version":"aci/1","receipt_id","chat_id","model","workload_keyset_digest","endpoint",
 *  "method","served_at":<unix s>,"status":<http status>,"e2ee":"none|aci_v2|legacy_v1|legacy_v2",
 *  "event_log":[{"type":"request.received","body_hash"},{"type":"request.forwarded","body_hash","target"},
 *               {"type":"response.returned","body_hash"}],"key_id","signature"}</pre>
 *
 * Events that did not happen (e.g. nothing forwarded after a 400) are absent.
 */
public final class Receipts {
  public static final String API_VERSION = "aci/1";
  private final Ed25519.PrivateKey key;
  private final String keyId;
  private final String keysetDigest;
  private final ReceiptStore store;
  private final Clock clock;

  public Receipts(Ed25519.PrivateKey key, String keyId, String keysetDigest, ReceiptStore store, Clock clock) {
    this.key = key;
    this.keyId = keyId;
    this.keysetDigest = keysetDigest;
    this.store = store;
    this.clock = clock;
  }

  /** Starts a receipt with a fresh random id ({@code rcpt-} + 32 hex). */
  public ReceiptDraft begin(String endpoint, String method) {
    return new ReceiptDraft("rcpt-" + Bytes.hex(SecureRandoms.bytes(16)), endpoint, method);
  }

  /** Signs and stores the receipt; returns the signed document's JCS bytes. */
  public byte[] finish(ReceiptDraft draft) {
    ReceiptDraft.Snapshot s = draft.snapshot();
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("api_version", API_VERSION);
    doc.put("receipt_id", s.receiptId);
    doc.put("chat_id", s.chatId);
    doc.put("model", s.model);
    doc.put("workload_keyset_digest", keysetDigest);
    doc.put("endpoint", s.endpoint);
    doc.put("method", s.method);
    doc.put("served_at", clock.millis() / 1000);
    doc.put("status", s.status);
    doc.put("e2ee", s.e2ee);
    ArrayNode log = doc.putArray("event_log");
    if (s.receivedHash != null) {
      log.addObject().put("type", "request.received").put("body_hash", s.receivedHash);
    }
    if (s.forwardedHash != null) {
      log.addObject().put("type", "request.forwarded").put("body_hash", s.forwardedHash).put("target", s.forwardedTarget);
    }
    log.addObject().put("type", "response.returned").put("body_hash", s.returnedHash);
    doc.put("key_id", keyId);
    byte[] sig = key.sign(Jcs.canonicalize(doc));
    doc.put("signature", Bytes.hex(sig));
    byte[] bytes = Jcs.canonicalize(doc);
    store.put(s.receiptId, bytes);
    return bytes;
  }

  public Optional<byte[]> get(String receiptId) {
    return store.get(receiptId);
  }

  public Ed25519.PublicKey publicKey() {
    return key.publicKey();
  }

  public String keyId() {
    return keyId;
  }
}
