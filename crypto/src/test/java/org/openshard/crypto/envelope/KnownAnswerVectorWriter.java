package org.openshard.crypto.envelope;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.StreamPayload;

/**
 * Writes testdata/envelope-v1.json and testdata/stream-v1.json. Run ONCE by hand when the format is
 * introduced (never by the build): {@code java -cp <test classpath>
 * org.openshard.crypto.envelope.KnownAnswerVectorWriter <repo>/testdata}. The committed files are
 * the reference; {@link KnownAnswerVectorsTest} only compares against them.
 */
final class KnownAnswerVectorWriter {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private KnownAnswerVectorWriter() {}

  /** Fixed "randomness": the first {@code n} bytes of SHA-256 of a label. */
  private static String fixed(String label, int n) {
    return Bytes.hex(Arrays.copyOf(Hashes.sha256(("openshard kat v1 " + label).getBytes(StandardCharsets.US_ASCII)), n));
  }

  private static String payload(StreamPayload p) {
    return Bytes.hex(p.toByteArray());
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: KnownAnswerVectorWriter <testdata dir>");
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);

    SealedQuery query = SealedQuery.newBuilder()
        .setServiceId("llama-3.1-8b")
        .setOpenaiRequestJson(
            "{\"model\":\"llama-3.1-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, OpenShard!\"}],\"stream\":true}")
        .setMaxCost(250000)
        .build();

    ObjectNode envFile = JSON.objectNode();
    envFile.put("description", "OpenShard v1 privacy envelope known-answer vectors (docs/protocol.md section 3 and 5). "
        + "Byte strings are lowercase hex. Inputs fix every random value; outputs are every intermediate of sealing.");
    envFile.put("protocol_version", EnvelopeFields.PROTOCOL_VERSION);
    ArrayNode envVectors = envFile.putArray("vectors");

    ObjectNode streamFile = JSON.objectNode();
    streamFile.put("description", "OpenShard v1 encrypted stream known-answer vectors (docs/protocol.md section 4). "
        + "Each vector continues the envelope vector of the same name: its session key and transcript digest.");
    ArrayNode streamVectors = streamFile.putArray("vectors");

    for (CipherSuite suite : new CipherSuite[] {
      CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM, CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM
    }) {
      String name = Suites.isSecp256k1(suite) ? "secp256k1" : "x25519";
      ObjectNode v = envVectors.addObject();
      v.put("name", name);
      v.put("cipher_suite", suite.name());
      v.put("cipher_suite_number", suite.getNumber());
      ObjectNode in = v.putObject("inputs");
      in.put("seller_identity_private_key", fixed("seller identity", 32));
      in.put("seller_key_id", "kat-" + name + "-1");
      in.put("seller_private_key", fixed(name + " seller key", 32));
      in.put("not_before_unix", 1_750_000_000L);
      in.put("not_after_unix", 1_750_604_800L);
      in.put("ephemeral_private_key", fixed(name + " ephemeral key", 32));
      in.put("session_key", fixed(name + " session key", 32));
      in.put("session_id", fixed(name + " session id", 16));
      in.put("session_key_nonce", fixed(name + " session key nonce", 12));
      in.put("query_nonce", fixed(name + " query nonce", 12));
      in.put("timestamp_ms", 1_750_000_123_456L);
      in.put("sealed_query", Bytes.hex(query.toByteArray()));
      ObjectNode fields = in.putObject("sealed_query_fields");
      fields.put("service_id", query.getServiceId());
      fields.put("openai_request_json", query.getOpenaiRequestJson());
      fields.put("max_cost", query.getMaxCost());

      KnownAnswers.EnvelopeRun run = KnownAnswers.envelope(suite, in);
      v.set("outputs", run.outputs);

      ObjectNode s = streamVectors.addObject();
      s.put("name", name);
      s.put("session_key", in.get("session_key").asText());
      s.put("transcript_digest", run.outputs.get("transcript_digest").asText());
      ArrayNode dirs = s.putArray("directions");

      ArrayNode s2b = JSON.arrayNode();
      s2b.addObject().put("final", false).put("plaintext", payload(StreamPayload.newBuilder().setOpenaiChunkJson(
          "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}").build()));
      s2b.addObject().put("final", false).put("plaintext", payload(StreamPayload.newBuilder().setOpenaiChunkJson(
          "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}").build()));
      s2b.addObject().put("final", true).put("plaintext", "");
      byte[] sessionKey = Bytes.fromHex(in.get("session_key").asText());
      byte[] transcript = run.sealed.transcriptDigest();
      dirs.add(KnownAnswers.streamDirection(
          StreamDirection.SELLER_TO_BUYER, sessionKey, transcript, run.opened.session().responseSealer(), s2b));

      ArrayNode b2s = JSON.arrayNode();
      b2s.addObject().put("final", true).put("plaintext", payload(StreamPayload.newBuilder().setOpenaiResponseJson("{}").build()));
      dirs.add(KnownAnswers.streamDirection(
          StreamDirection.BUYER_TO_SELLER, sessionKey, transcript, run.sealed.session().requestSealer(), b2s));
    }

    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(dir.resolve("envelope-v1.json"), mapper.writeValueAsString(envFile) + "\n");
    Files.writeString(dir.resolve("stream-v1.json"), mapper.writeValueAsString(streamFile) + "\n");
  }
}
