package org.openshard.sdk.examples;

import java.nio.file.Path;
import java.time.Duration;
import org.openshard.buyer.BuyerClient;
import org.openshard.buyer.ChatResult;
import org.openshard.proto.v1.PeerListing;
import org.openshard.sdk.Network;

/**
 * Example: a private chat completion from Java. The request is sealed to the seller's key with a
 * ring proof of your credential (the seller learns neither who you are nor, on the wire, what you
 * asked); the answer is decrypted and the seller's receipt checked.
 *
 * <pre>
 * java … org.openshard.sdk.examples.PrivateChatExample 127.0.0.1:7400 my-model ./buyer.credential "Hello!"
 * </pre>
 */
public final class PrivateChatExample {
  private PrivateChatExample() {}

  /** What one chat returned: the answer text and who served it. */
  public record Answer(String content, String sellerId, long completionTokens) {}

  public static Answer chat(String registry, String model, Path credentialFile, String prompt) throws Exception {
    // Optional: look at the market first.
    try (Network net = Network.connect(registry)) {
      for (PeerListing p : net.discover(model)) {
        System.out.println("offered by " + p.getRegistration().getPeerId() + " (health " + p.getHealth() + ")");
      }
    }
    try (BuyerClient client =
        BuyerClient.builder()
            .registry(registry)
            .credentialFile(credentialFile) // created with mode 0600 if absent; keep it
            .readyTimeout(Duration.ofSeconds(30))
            .build()) {
      String request =
          "{\"model\":" + json(model) + ",\"messages\":[{\"role\":\"user\",\"content\":" + json(prompt) + "}]}";
      ChatResult r = client.chat(request);
      return new Answer(r.content(), r.summary().getSellerId(), r.summary().getUsage().getCompletionTokens());
    }
  }

  /** A JSON string literal (use a JSON library in real code). */
  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: PrivateChatExample REGISTRY_HOST:PORT MODEL CREDENTIAL_FILE PROMPT");
      System.exit(2);
    }
    Answer a = chat(args[0], args[1], Path.of(args[2]), args[3]);
    System.out.println(a.content());
    System.out.println("(served by " + a.sellerId() + ", " + a.completionTokens() + " completion tokens)");
  }
}
