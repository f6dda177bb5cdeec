package org.openshard.bridge.receipts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;

/**
 * What one request's receipt will say, filled in as the request is served: the request hashes the
 * handler records, and a running SHA-256 over every response byte emitted. Thread-safe (the steps
 * happen on different threads, one after another).
 */
public final class ReceiptDraft {
  private final String receiptId;
  private final String endpoint;
  private final String method;
  private final MessageDigest responseDigest;
  private String model = "";
  private String chatId = "";
  private String receivedHash;
  private String forwardedHash;
  private String forwardedTarget;
  private String e2ee = "none";
  private int status;

  ReceiptDraft(String receiptId, String endpoint, String method) {
    this.receiptId = receiptId;
    this.endpoint = endpoint;
    this.method = method;
    try {
      this.responseDigest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String receiptId() {
    return receiptId;
  }

  public synchronized void model(String m) {
    this.model = m == null ? "" : m;
  }

  /** The response id (chat id); the first non-empty value wins. */
  public synchronized void chatIdIfAbsent(String id) {
    if (chatId.isEmpty() && id != null) {
      this.chatId = id;
    }
  }

  /** The exact bytes of the request as the bridge understood it (after E2EE fields were restored). */
  public synchronized void requestReceived(byte[] compactJson) {
    this.receivedHash = "sha256:" + Bytes.hex(Hashes.sha256(compactJson));
  }

  /** The exact bytes handed to the backend, and which backend. */
  public synchronized void requestForwarded(byte[] exactBytes, String target) {
    this.forwardedHash = "sha256:" + Bytes.hex(Hashes.sha256(exactBytes));
    this.forwardedTarget = target;
  }

  /** Where the forwarded request was finally served; replaces the target (only if something was forwarded). */
  public synchronized void forwardedTarget(String target) {
    if (forwardedHash != null && target != null && !target.isEmpty()) {
      this.forwardedTarget = target;
    }
  }

  public synchronized void e2eeMode(String mode) {
    this.e2ee = mode;
  }

  public synchronized void status(int s) {
    this.status = s;
  }

  /** Feeds response body bytes, in emission order. */
  public synchronized void responseBytes(byte[] b, int off, int len) {
    responseDigest.update(b, off, len);
  }

  synchronized Snapshot snapshot() {
    MessageDigest copy;
    try {
      copy = (MessageDigest) responseDigest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
    return new Snapshot(
        receiptId, endpoint, method, model, chatId, receivedHash, forwardedHash, forwardedTarget, e2ee, status,
        "sha256:" + Bytes.hex(copy.digest()));
  }

  /** An immutable view for signing. */
  static final class Snapshot {
    final String receiptId;
    final String endpoint;
    final String method;
    final String model;
    final String chatId;
    final String receivedHash;
    final String forwardedHash;
    final String forwardedTarget;
    final String e2ee;
    final int status;
    final String returnedHash;

    Snapshot(
        String receiptId,
        String endpoint,
        String method,
        String model,
        String chatId,
        String receivedHash,
        String forwardedHash,
        String forwardedTarget,
        String e2ee,
        int status,
        String returnedHash) {
      this.receiptId = receiptId;
      this.endpoint = endpoint;
      this.method = method;
      this.model = model;
      this.chatId = chatId;
      this.receivedHash = receivedHash;
      this.forwardedHash = forwardedHash;
      this.forwardedTarget = forwardedTarget;
      this.e2ee = e2ee;
      this.status = status;
      this.returnedHash = returnedHash;
    }
  }
}
