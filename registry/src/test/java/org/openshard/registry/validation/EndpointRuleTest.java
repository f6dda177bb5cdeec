package org.openshard.registry.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.registry.RegistryException;

class EndpointRuleTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:9000",
        "seller.example.com:443",
        "localhost:1",
        "a-b.c:65535",
        "[::1]:9000",
        "[2001:db8::17]:8443",
      })
  void accepts(String endpoint) {
    assertDoesNotThrow(() -> EndpointRule.check(endpoint, "endpoint"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "seller",
        "seller:",
        ":9000",
        "seller:0",
        "seller:65536",
        "seller:+80",
        "seller:80:81",
        "::1:9000",
        "[::1]9000",
        "[::1]",
        "[zz::1]:80",
        "[fe80::1%eth0]:80",
        "http://seller:80",
        "seller:80/path",
        "user@seller:80",
        "sel ler:80",
        "seller :80",
        "-seller:80",
        "seller-.com:80",
        "a..b:80",
        "sellér:80",
        "seller\n:80",
      })
  void refuses(String endpoint) {
    RegistryException e = assertThrows(RegistryException.class, () -> EndpointRule.check(endpoint, "endpoint"));
    assertEquals("endpoint", e.field());
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.errorCode());
  }
}
