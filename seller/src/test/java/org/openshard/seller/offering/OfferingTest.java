package org.openshard.seller.offering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OfferingTest {
  private static Offering.Builder valid() {
    return Offering.builder()
        .id("llama-small")
        .capability(Offering.Kind.INFERENCE)
        .serviceId("llama-3.1-8b")
        .serviceId("meta/llama:8b")
        .inputPricePerMillion(150_000)
        .outputPricePerMillion(600_000)
        .cachedInputPricePerMillion(75_000)
        .upstreamModel("meta-llama/Llama-3.1-8B-Instruct")
        .maxContextTokens(8192);
  }

  @Test
  void jsonRoundTrip() {
    Offering o = valid().build();
    String json = Offerings.toJson(o);
    assertTrue(json.contains("\"service_ids\":[\"llama-3.1-8b\",\"meta/llama:8b\"]"), json);
    assertTrue(json.contains("\"capability\":\"inference\""), json);
    assertEquals(o, Offerings.fromJson(json));
  }

  @Test
  void protoRoundTrip() {
    Offering o = valid().capability(Offering.Kind.TOOL).build();
    assertEquals(o, Offering.fromProto(o.toProto()));
    assertEquals(o, o.toBuilder().build());
  }

  @Test
  void listRoundTripOfRandomOfferings() {
    Random r = new Random(7);
    for (int round = 0; round < 50; round++) {
      int n = 1 + r.nextInt(5);
      List<Offering> list = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        list.add(
            Offering.builder()
                .id("o" + i)
                .capability(Offering.Kind.values()[r.nextInt(3)])
                .serviceId("svc-" + r.nextInt(1000))
                .inputPricePerMillion(r.nextInt(1_000_000))
                .outputPricePerMillion(r.nextInt(1_000_000))
                .cachedInputPricePerMillion(r.nextInt(1_000_000))
                .upstreamModel("model-" + r.nextInt(10))
                .build());
      }
      assertEquals(list, Offerings.listFromJson(Offerings.toJson(list)));
    }
  }

  @Test
  void rejectsInvalidFieldsNamingThem() {
    assertEquals("id", assertThrows(InvalidOfferingException.class, () -> valid().id("Bad Id").build()).field());
    assertEquals("id", assertThrows(InvalidOfferingException.class, () -> valid().id(null).build()).field());
    assertEquals(
        "service_ids",
        assertThrows(InvalidOfferingException.class, () -> Offering.builder().id("a").upstreamModel("m").build()).field());
    assertEquals("service_ids", assertThrows(InvalidOfferingException.class, () -> valid().serviceId("has space").build()).field());
    assertEquals("service_ids", assertThrows(InvalidOfferingException.class, () -> valid().serviceId("llama-3.1-8b")).field());
    assertEquals(
        "pricing.input_per_million",
        assertThrows(InvalidOfferingException.class, () -> valid().inputPricePerMillion(-1).build()).field());
    assertEquals(
        "pricing.output_per_million",
        assertThrows(InvalidOfferingException.class, () -> valid().outputPricePerMillion(Offering.MAX_PRICE_PER_MILLION + 1).build())
            .field());
    assertEquals("upstream_model", assertThrows(InvalidOfferingException.class, () -> valid().upstreamModel(" ").build()).field());
    assertEquals("capability", assertThrows(InvalidOfferingException.class, () -> valid().capability(null).build()).field());
  }

  @Test
  void rejectsInvalidJson() {
    assertThrows(InvalidOfferingException.class, () -> Offerings.fromJson("{"));
    assertEquals(
        "capability",
        assertThrows(
                InvalidOfferingException.class,
                () -> Offerings.fromJson(
                    "{\"id\":\"a\",\"capability\":\"oracle\",\"service_ids\":[\"s\"],\"upstream_model\":\"m\"}"))
            .field());
    assertEquals(
        "pricing.input_per_million",
        assertThrows(
                InvalidOfferingException.class,
                () -> Offerings.fromJson("{\"id\":\"a\",\"service_ids\":[\"s\"],\"upstream_model\":\"m\","
                    + "\"pricing\":{\"input_per_million\":-5,\"output_per_million\":0,\"cached_input_per_million\":0}}"))
            .field());
    assertThrows(InvalidOfferingException.class, () -> Offerings.listFromJson("[]"));
    String dup = Offerings.toJson(List.of(valid().build(), valid().build()));
    assertEquals("offerings", assertThrows(InvalidOfferingException.class, () -> Offerings.listFromJson(dup)).field());
  }

  @Test
  void freeOfferings() {
    assertTrue(valid().inputPricePerMillion(0).outputPricePerMillion(0).cachedInputPricePerMillion(0).build().pricing().isFree());
  }
}
