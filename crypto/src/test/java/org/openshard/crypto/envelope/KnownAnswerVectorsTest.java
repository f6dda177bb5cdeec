package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.StreamPayload;
import com.google.protobuf.ByteString;

/**
 * Recomputes testdata/envelope-v1.json and testdata/stream-v1.json (written once by {@link
 * KnownAnswerVectorWriter}) and compares every byte. A failure means the wire format changed.
 */
class KnownAnswerVectorsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode read(String name) throws Exception {
    return MAPPER.readTree(Files.readAllBytes(TestData.file(name)));
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** Same structure and the same values (numbers compared by value, not by JSON node type). */
  private static void assertSameFields(JsonNode expected, JsonNode actual, String where) {
    if (expected.isObject()) {
      assertTrue(actual.isObject(), where + " is not an object");
      assertEquals(names(expected), names(actual), where + ": field list differs");
      for (String f : names(expected)) {
        assertSameFields(expected.get(f), actual.get(f), where + "." + f);
      }
    } else if (expected.isArray()) {
      assertTrue(actual.isArray(), where + " is not an array");
      assertEquals(expected.size(), actual.size(), where + ": length differs");
      for (int i = 0; i < expected.size(); i++) {
        assertSameFields(expected.get(i), actual.get(i), where + "[" + i + "]");
      }
    } else {
      assertEquals(expected.isTextual(), actual.isTextual(), where + ": type differs");
      assertEquals(expected.asText(), actual.asText(), where);
    }
  }

  @Test
  void sessionResumptionVectorsMatchByteForByte() throws Exception {
    JsonNode file = read("session-v1.json");
    assertEquals(3, file.get("vectors").size());
    assertSameFields(file, SessionVectors.compute(), "session-v1");
  }

  @Test
  void envelopeVectorsMatchByteForByte() throws Exception {
    JsonNode file = read("envelope-v1.json");
    ArrayNode vectors = (ArrayNode) file.get("vectors");
    assertEquals(2, vectors.size());
    List<String> suites = new ArrayList<>();
    for (JsonNode v : vectors) {
      CipherSuite suite = CipherSuite.valueOf(v.get("cipher_suite").asText());
      assertEquals(suite.getNumber(), v.get("cipher_suite_number").asInt());
      suites.add(suite.name());
      JsonNode in = v.get("inputs");
      JsonNode expected = v.get("outputs");

      // The informative query fields are the serialized query.
      JsonNode qf = in.get("sealed_query_fields");
      SealedQuery q = SealedQuery.newBuilder()
          .setServiceId(qf.get("service_id").asText())
          .setOpenaiRequestJson(qf.get("openai_request_json").asText())
          .setMaxCost(qf.get("max_cost").asLong())
          .build();
      assertEquals(in.get("sealed_query").asText(), Bytes.hex(q.toByteArray()));

      KnownAnswers.EnvelopeRun run = KnownAnswers.envelope(suite, in);
      assertSameFields(expected, run.outputs, v.get("name").asText());

      // Cross-checks of the layouts with the primitives alone, from the file's own values.
      byte[] esk = KnownAnswers.hex(expected, "encrypted_session_key");
      assertEquals(60, esk.length);
      assertArrayEquals(KnownAnswers.hex(in, "session_key_nonce"), java.util.Arrays.copyOf(esk, 12));
      byte[] aad = KnownAnswers.hex(expected, "associated_data");
      assertArrayEquals(KnownAnswers.hex(in, "session_key"),
          AesGcm.of(KnownAnswers.hex(expected, "kek")).open(esk, aad));
      assertArrayEquals(KnownAnswers.hex(in, "sealed_query"),
          AesGcm.of(KnownAnswers.hex(expected, "query_key")).open(KnownAnswers.hex(expected, "encrypted_query"), aad));
      assertArrayEquals(KnownAnswers.hex(expected, "transcript_digest"),
          org.openshard.crypto.Hashes.sha256(KnownAnswers.hex(expected, "transcript_preimage")));
      // The seller side opened it to the same query and transcript.
      assertEquals(q, run.opened.query());
      assertArrayEquals(KnownAnswers.hex(expected, "transcript_digest"), run.opened.transcriptDigest());
    }
    assertEquals(List.of("CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"),
        suites);
  }

  @Test
  void streamVectorsMatchByteForByteAndOpen() throws Exception {
    JsonNode envFile = read("envelope-v1.json");
    JsonNode file = read("stream-v1.json");
    ArrayNode vectors = (ArrayNode) file.get("vectors");
    assertEquals(2, vectors.size());
    int i = 0;
    for (JsonNode v : vectors) {
      JsonNode envVector = envFile.get("vectors").get(i++);
      assertEquals(envVector.get("name"), v.get("name"));
      assertEquals(envVector.get("inputs").get("session_key"), v.get("session_key"));
      assertEquals(envVector.get("outputs").get("transcript_digest"), v.get("transcript_digest"));
      CipherSuite suite = CipherSuite.valueOf(envVector.get("cipher_suite").asText());
      KnownAnswers.EnvelopeRun run = KnownAnswers.envelope(suite, envVector.get("inputs"));
      byte[] sessionKey = KnownAnswers.hex(v, "session_key");
      byte[] transcript = KnownAnswers.hex(v, "transcript_digest");

      JsonNode s2b = v.get("directions").get(0);
      JsonNode b2s = v.get("directions").get(1);
      assertEquals("seller-to-buyer", s2b.get("direction").asText());
      assertEquals("buyer-to-seller", b2s.get("direction").asText());
      assertSameFields(s2b, KnownAnswers.streamDirection(StreamDirection.SELLER_TO_BUYER, sessionKey, transcript,
          run.opened.session().responseSealer(), s2b.get("chunks")), "s2b");
      assertSameFields(b2s, KnownAnswers.streamDirection(StreamDirection.BUYER_TO_SELLER, sessionKey, transcript,
          run.sealed.session().requestSealer(), b2s.get("chunks")), "b2s");

      // The file's chunks open on the other side, in order, and end the stream.
      ChunkOpener buyer = run.sealed.session().responseOpener();
      for (JsonNode c : s2b.get("chunks")) {
        StreamPayload p = buyer.open(EncryptedChunk.newBuilder()
            .setSequence(c.get("sequence").asLong())
            .setFinal(c.get("final").asBoolean())
            .setCiphertext(ByteString.copyFrom(KnownAnswers.hex(c, "ciphertext")))
            .build());
        assertEquals(c.get("plaintext").asText(), Bytes.hex(p.toByteArray()));
        // Nonce layout: 4 zero bytes || u64 sequence.
        assertEquals("00000000" + String.format("%016x", c.get("sequence").asLong()), c.get("nonce").asText());
      }
      buyer.finish();
      assertTrue(buyer.isFinished());
    }
  }
}
