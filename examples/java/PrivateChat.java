import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openshard.buyer.BuyerClient;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.ChatStream;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.RequestSummary;

/**
 * Private chat from Java with {@link BuyerClient}: the buyer runs inside this program (no gateway
 * hop) — it discovers sellers through the registry, seals the request in a privacy envelope with a
 * ring proof of its credential, and streams the answer.
 *
 * <pre>
 *   java -cp cli/target/openshard.jar examples/java/PrivateChat.java --registry 127.0.0.1:PORT \
 *       [--service demo-model] [--prompt TEXT] [--credential FILE]
 * </pre>
 *
 * Exits 0 on success, 1 on failure, 2 on bad arguments. (cli's JavaExampleTest compiles and runs it.)
 */
public final class PrivateChat {
  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  /** Runs the example; returns the exit code. The answer streams to {@code out}. */
  public static int run(String[] args, PrintStream out) throws Exception {
    String registry = null;
    String service = "demo-model";
    String prompt = "hello from java";
    Path credential = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--registry": registry = args[i + 1]; break;
        case "--service": service = args[i + 1]; break;
        case "--prompt": prompt = args[i + 1]; break;
        case "--credential": credential = Path.of(args[i + 1]); break;
        default:
          System.err.println("unknown option " + args[i]);
          return 2;
      }
    }
    if (registry == null) {
      System.err.println("usage: PrivateChat --registry HOST:PORT [--service ID] [--prompt TEXT] [--credential FILE]");
      return 2;
    }
    if (credential == null) {
      credential = Files.createTempDirectory("openshard-java-example").resolve("buyer.credential");
    }
    String json =
        "{\"model\":" + quote(service) + ",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":" + quote(prompt) + "}]}";
    try (BuyerClient client =
            BuyerClient.builder().registry(registry).credentialFile(credential).readyTimeout(Duration.ofSeconds(30)).build();
        ChatStream stream = client.stream(json)) {
      RequestSummary summary = null;
      for (ChatCompletionEvent e; (e = stream.next(60, TimeUnit.SECONDS)) != null; ) {
        if (e.hasChunk()) {
          out.print(e.getChunk().getContentDelta());
          out.flush();
        } else if (e.hasSummary()) {
          summary = e.getSummary();
        }
      }
      out.println();
      if (summary == null) {
        System.err.println("error: the stream ended without a summary");
        return 1;
      }
      out.println("served by " + summary.getSellerId() + " (offering " + summary.getOfferingId() + "), charged "
          + Long.toUnsignedString(summary.getAmountCharged()) + ", receipt " + summary.getReceiptId());
      return 0;
    } catch (BuyerException e) {
      System.err.println("error: " + e.code() + ": " + e.getMessage());
      return 1;
    }
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
