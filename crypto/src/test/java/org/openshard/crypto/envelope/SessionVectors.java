package org.openshard.crypto.envelope;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.StreamPayload;

/**
 * Computes the session-resumption vectors of testdata/session-v1.json (docs/protocol.md section 5a)
 * from fixed inputs. {@link #main} writes the file ONCE by hand when the format is introduced
 * ({@code java -cp <test classpath> org.openshard.crypto.envelope.SessionVectors <repo>/testdata});
 * {@link KnownAnswerVectorsTest} compares the code against the committed file.
 */
final class SessionVectors {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SessionVectors() {}

  private static byte[] fixed(String label, int n) {
    return Arrays.copyOf(Hashes.sha256(("openshard kat v1 " + label).getBytes(StandardCharsets.US_ASCII)), n);
  }

  /** The file's content, computed by the code under test. */
  static ObjectNode compute() throws Exception {
    ObjectNode file = JSON.objectNode();
    file.put("description", "OpenShard v1 session resumption known-answer vectors (docs/protocol.md section 5a, RES-1..RES-7). "
        + "Byte strings are lowercase hex; inputs fix every random value.");
    ArrayNode vectors = file.putArray("vectors");
    byte[] sessionKey = fixed("session key", 32);
    byte[] transcript = fixed("transcript digest", 32);
    String sellerId = "0x9f3b5c2e1d4a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
    byte[] ticket = fixed("ticket", 16);
    SealedQuery query =
        SealedQuery.newBuilder()
            .setServiceId("llama-3.1-8b")
            .setOpenaiRequestJson("{\"model\":\"llama-3.1-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Again!\"}]}")
            .setMaxCost(1000)
            .build();
    StreamPayload response = StreamPayload.newBuilder().setOpenaiResponseJson("{\"choices\":[]}").build();
    for (long n : new long[] {1, 2, 4096}) {
      byte[] nonce = fixed("resumed query nonce " + n, 12);
      SessionResumption r = SessionResumption.derive(sessionKey, transcript, sellerId.getBytes(StandardCharsets.UTF_8));
      SealedResumedRequest sealed = r.seal(ticket, n, query, nonce);
      ObjectNode v = vectors.addObject();
      v.put("name", "request-" + n);
      ObjectNode in = v.putObject("inputs");
      in.put("session_key", Bytes.hex(sessionKey));
      in.put("transcript_digest", Bytes.hex(transcript));
      in.put("seller_id", sellerId);
      in.put("ticket", Bytes.hex(ticket));
      in.put("request_number", n);
      in.put("query_nonce", Bytes.hex(nonce));
      in.put("sealed_query", Bytes.hex(query.toByteArray()));
      in.put("response_payload", Bytes.hex(response.toByteArray()));
      ObjectNode out = v.putObject("outputs");
      out.put("query_associated_data", Bytes.hex(r.queryAssociatedData(ticket, n)));
      out.put("encrypted_query", Bytes.hex(sealed.toProto().getEncryptedQuery().toByteArray()));
      out.put("transcript_digest", Bytes.hex(sealed.transcriptDigest()));
      out.put("request_hash", Bytes.hex(Hashes.sha256(ticket, sealed.toProto().getEncryptedQuery().toByteArray())));
      OpenedResumedRequest opened = r.open(sealed.toProto());
      EncryptedChunk chunk = opened.session().responseSealer().seal(response, true);
      out.put("response_chunk_0_final", Bytes.hex(chunk.getCiphertext().toByteArray()));
    }
    return file;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]).resolve("session-v1.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), compute());
    System.out.println("wrote " + out);
  }
}
