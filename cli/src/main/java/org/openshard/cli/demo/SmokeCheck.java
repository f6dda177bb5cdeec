package org.openshard.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.SecureRandoms;

/**
 * {@code ./openshard demo --smoke}: one plain, one streaming and one ACI v2 (x25519) E2EE chat
 * completion through the bridge of a running {@link DemoStack}. Each answer must be the echo of the
 * prompt (the echo upstream answers with the last user message), each response must name a demo
 * seller, and each {@code X-Receipt-Id} must resolve to a receipt whose Ed25519 signature verifies
 * under the attested receipt key and whose {@code response.returned} hash matches the bytes
 * received. Prints one line per check (never the prompt text); {@link #run()} is true if all passed.
 */
public final class SmokeCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DemoStack stack;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> failures = new ArrayList<>();
  private JsonNode keyset;

  public SmokeCheck(DemoStack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  /** Runs all checks; true if every one passed. */
  public boolean run() {
    check("attestation", this::attestation);
    check("plain chat", this::plain);
    check("streaming chat", this::streaming);
    check("e2ee chat (aci v2, x25519)", this::e2ee);
    check("status page", this::statusPage);
    out.println(
        "smoke: " + (failures.isEmpty() ? "PASS" : "FAIL") + " — " + (5 - failures.size()) + "/5 checks passed"
            + (failures.isEmpty() ? "" : "; failed: " + String.join(", ", failures)));
    out.flush();
    return failures.isEmpty();
  }

  private interface Step {
    String run() throws Exception;
  }

  private void check(String name, Step step) {
    try {
      String detail = step.run();
      out.println("smoke: ok   " + name + (detail.isEmpty() ? "" : " — " + detail));
    } catch (Exception | AssertionError e) {
      failures.add(name);
      out.println("smoke: FAIL " + name + " — " + e.getMessage());
    }
    out.flush();
  }

  private String attestation() throws Exception {
    HttpResponse<byte[]> r = get("/aci/attestation?nonce=" + Bytes.hex(SecureRandoms.bytes(16)));
    expect(r.statusCode() == 200, "attestation status " + r.statusCode());
    JsonNode doc = JSON.readTree(r.body());
    keyset = doc.path("attestation").path("workload_keyset");
    expect(keyset.isObject(), "no workload_keyset in the attestation");
    String digest = "sha256:" + Bytes.hex(Hashes.sha256(Jcs.canonicalize(keyset)));
    expect(digest.equals(doc.path("workload_keyset_digest").asText()), "workload_keyset_digest does not match the keyset");
    return "keyset " + digest.substring(0, 19) + "…";
  }

  private String plain() throws Exception {
    String prompt = "smoke plain " + Bytes.hex(SecureRandoms.bytes(4));
    ObjectNode req = request(prompt, false);
    HttpResponse<byte[]> r = post(req, List.of());
    expect(r.statusCode() == 200, "status " + r.statusCode() + ": " + errorType(r.body()));
    JsonNode body = JSON.readTree(r.body());
    String answer = body.path("choices").path(0).path("message").path("content").asText(null);
    expect(prompt.equals(answer != null ? answer.trim() : null), "the answer is not the echo of the prompt");
    String seller = sellerOf(r);
    return "seller " + seller + ", " + receipt(r, r.body());
  }

  private String streaming() throws Exception {
    String prompt = "smoke stream " + Bytes.hex(SecureRandoms.bytes(4));
    HttpResponse<byte[]> r = post(request(prompt, true), List.of());
    expect(r.statusCode() == 200, "status " + r.statusCode() + ": " + errorType(r.body()));
    StringBuilder answer = new StringBuilder();
    boolean done = false;
    int chunks = 0;
    for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
      if (!line.startsWith("data: ")) {
        continue;
      }
      String data = line.substring(6).trim();
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonNode chunk = JSON.readTree(data);
      expect(!chunk.has("error"), "error event in the stream: " + chunk.path("error").path("type").asText());
      chunks++;
      JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
      if (content.isTextual()) {
        answer.append(content.asText());
      }
    }
    expect(done, "the stream did not end with [DONE]");
    expect(prompt.equals(answer.toString().trim()), "the streamed answer is not the echo of the prompt");
    return chunks + " chunks, " + receipt(r, r.body());
  }

  private String e2ee() throws Exception {
    expect(keyset != null, "no attested keyset");
    String serviceKey = null;
    for (JsonNode k : keyset.path("e2ee_public_keys")) {
      if (AciClient.ALGO.equals(k.path("algo").asText())) {
        serviceKey = k.path("public_key").asText();
      }
    }
    expect(serviceKey != null, "the keyset has no " + AciClient.ALGO + " key");
    AciClient client = new AciClient();
    String model = stack.config().serviceId();
    String nonce = AciClient.newNonce();
    long ts = System.currentTimeMillis() / 1000;
    String prompt = "smoke e2ee " + Bytes.hex(SecureRandoms.bytes(4));
    ObjectNode req = request(prompt, false);
    ((ObjectNode) req.path("messages").path(0))
        .put("content", AciClient.sealRequestField(serviceKey, "messages.0.content", model, nonce, ts, prompt));
    HttpResponse<byte[]> r =
        post(
            req,
            List.of(
                "X-E2EE-Version", "2",
                "X-Client-Pub-Key", client.publicKeyHex(),
                "X-Model-Pub-Key", serviceKey,
                "X-E2EE-Nonce", nonce,
                "X-E2EE-Timestamp", Long.toString(ts)));
    expect(r.statusCode() == 200, "status " + r.statusCode() + ": " + errorType(r.body()));
    JsonNode body = JSON.readTree(r.body());
    String sealed = body.path("choices").path(0).path("message").path("content").asText("");
    expect(!sealed.contains(prompt), "the response content is not encrypted");
    String answer =
        client.openResponseField(sealed, "choices.0.message.content", body.path("id").asText(""), model, nonce, ts);
    expect(prompt.equals(answer.trim()), "the decrypted answer is not the echo of the prompt");
    return "seller " + sellerOf(r) + ", " + receipt(r, r.body());
  }

  /** The serving seller from X-OpenShard-Seller; must be one of the demo's. */
  private String sellerOf(HttpResponse<byte[]> r) {
    String seller = r.headers().firstValue("X-OpenShard-Seller").orElse("");
    boolean known = false;
    for (String id : stack.sellerPeerIds()) {
      known |= id.equalsIgnoreCase(seller);
    }
    expect(known, "X-OpenShard-Seller '" + seller + "' is not a demo seller");
    return seller.substring(0, Math.min(10, seller.length())) + "…";
  }

  /** Fetches and verifies the receipt of a response whose body bytes were {@code body}. */
  private String receipt(HttpResponse<byte[]> r, byte[] body) throws Exception {
    String id = r.headers().firstValue("X-Receipt-Id").orElse("");
    expect(!id.isEmpty(), "no X-Receipt-Id");
    JsonNode doc = null;
    for (int i = 0; i < 50 && doc == null; i++) {
      HttpResponse<byte[]> g = get("/aci/receipts/" + id);
      if (g.statusCode() == 200) {
        doc = JSON.readTree(g.body());
      } else {
        Thread.sleep(100);
      }
    }
    expect(doc != null, "receipt " + id + " does not resolve");
    expect(id.equals(doc.path("receipt_id").asText()), "receipt id mismatch");
    ObjectNode unsigned = ((ObjectNode) doc).deepCopy();
    String signature = unsigned.remove("signature").asText();
    String keyId = doc.path("key_id").asText();
    Ed25519.PublicKey key = null;
    for (JsonNode k : keyset.path("receipt_signing_keys")) {
      if (keyId.equals(k.path("key_id").asText())) {
        key = Ed25519.PublicKey.fromBytes(Bytes.fromHex(k.path("public_key").asText()));
      }
    }
    expect(key != null, "receipt key " + keyId + " is not in the attested keyset");
    expect(key.verify(Jcs.canonicalize(unsigned), Bytes.fromHex(signature)), "receipt signature does not verify");
    String returned = null;
    for (JsonNode e : doc.path("event_log")) {
      if ("response.returned".equals(e.path("type").asText())) {
        returned = e.path("body_hash").asText();
      }
    }
    expect(("sha256:" + Bytes.hex(Hashes.sha256(body))).equals(returned), "receipt response hash does not match the body");
    return "receipt " + id + " verified";
  }

  private ObjectNode request(String prompt, boolean stream) {
    ObjectNode req = JSON.createObjectNode();
    req.put("model", stack.config().serviceId());
    req.put("stream", stream);
    req.putArray("messages").addObject().put("role", "user").put("content", prompt);
    return req;
  }

  private HttpResponse<byte[]> post(ObjectNode body, List<String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.bridgeUrl() + "/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The bridge's /dashboard state lists the sellers and, for a priced demo, the buyer's channels. */
  private String statusPage() throws Exception {
    String root = stack.bridgeUrl().replaceFirst("/v1$", "");
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(root + "/dashboard/api/state")).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    expect(r.statusCode() == 200, "GET /dashboard/api/state answered " + r.statusCode());
    JsonNode state = JSON.readTree(r.body());
    int sellers = state.path("sellers").size();
    expect(sellers >= 1, "the status page lists no sellers");
    int channels = state.path("channels").size();
    if (stack.priced()) {
      expect(channels >= 1, "the status page lists no payment channel after paid requests");
    }
    expect(state.path("requests").size() >= 3, "the status page lists fewer than the 3 requests just made");
    return sellers + " sellers, " + channels + " channels, " + state.path("requests").size() + " recent requests";
  }

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.bridgeUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The OpenAI error type of an error body (never its message, which could quote content). */
  private static String errorType(byte[] body) {
    try {
      JsonNode e = JSON.readTree(body).path("error");
      return e.path("type").asText("?") + (e.has("code") ? " / " + e.path("code").asText() : "");
    } catch (IOException e) {
      return "unreadable body";
    }
  }

  private static void expect(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
