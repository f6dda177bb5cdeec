package org.openshard.seller.offering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfferingFlagsTest {
  @Test
  void parsesEveryKey() {
    Offering o =
        OfferingFlags.parse(
            "id=llama,service=llama-3.1-8b,service=meta/llama:8b,model=meta-llama/Llama-3.1-8B-Instruct,in=150000,"
                + "out=600000,cached=75000,capability=agent,context=8192");
    Offering expected =
        Offering.builder().id("llama").serviceId("llama-3.1-8b").serviceId("meta/llama:8b")
            .upstreamModel("meta-llama/Llama-3.1-8B-Instruct").inputPricePerMillion(150_000).outputPricePerMillion(600_000)
            .cachedInputPricePerMillion(75_000).capability(Offering.Kind.AGENT).maxContextTokens(8192).build();
    assertEquals(expected, o);
  }

  @Test
  void defaultsAreFreeInference() {
    Offering o = OfferingFlags.parse(" id = echo , service = echo-1 , model = echo ");
    assertEquals(Offering.Kind.INFERENCE, o.capability());
    assertEquals(0, o.pricing().inputPerMillion());
    assertEquals(0, o.maxContextTokens());
    assertEquals(List.of("echo-1"), o.serviceIds());
  }

  @Test
  void errorsNameTheField() {
    assertEquals("pricing.input_per_million",
        assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,service=s,model=m,in=0.15")).field());
    assertEquals("colour",
        assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,service=s,model=m,colour=red")).field());
    assertEquals("id", assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,id=b,service=s,model=m")).field());
    assertEquals("offering", assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,service")).field());
    assertEquals("service_ids", assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,model=m")).field());
    assertEquals("upstream_model", assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,service=s")).field());
    assertEquals("capability",
        assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,service=s,model=m,capability=oracle")).field());
    assertEquals("pricing.output_per_million",
        assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse("id=a,service=s,model=m,out=-1")).field());
    assertThrows(InvalidOfferingException.class, () -> OfferingFlags.parse(""));
  }

  @Test
  void configFileLoads(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("offerings.json");
    Files.writeString(f, "[{\"id\":\"a\",\"capability\":\"inference\",\"service_ids\":[\"s1\"],\"pricing\":{\"input_per_million\":1,"
        + "\"output_per_million\":2,\"cached_input_per_million\":0},\"upstream_model\":\"m\"},"
        + "{\"id\":\"b\",\"service_ids\":[\"s2\"],\"upstream_model\":\"m2\"}]");
    List<Offering> list = Offerings.load(f);
    assertEquals(2, list.size());
    assertEquals(OfferingFlags.parse("id=a,service=s1,model=m,in=1,out=2"), list.get(0));
    assertEquals(OfferingFlags.parse("id=b,service=s2,model=m2"), list.get(1));
    Files.writeString(f, "[{\"id\":\"a\",\"service_ids\":[\"s\"],\"upstream_model\":\"m\"},{\"id\":\"a\",\"service_ids\":[\"t\"],\"upstream_model\":\"m\"}]");
    assertEquals("offerings", assertThrows(InvalidOfferingException.class, () -> Offerings.load(f)).field());
  }
}
