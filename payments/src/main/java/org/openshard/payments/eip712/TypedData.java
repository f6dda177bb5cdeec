package org.openshard.payments.eip712;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * Builds EIP-712 typed-data JSON (the {@code eth_signTypedData_v4} shape) and hashes it with web3j's
 * {@link StructuredDataEncoder}. Integers are passed as decimal strings, so no value is ever a
 * JSON floating-point number.
 */
public final class TypedData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Eip712Domain domain;
  private final String primaryType;
  private final Map<String, String[][]> types = new LinkedHashMap<>();
  private final ObjectNode message = JSON.createObjectNode();

  private TypedData(Eip712Domain domain, String primaryType) {
    this.domain = domain;
    this.primaryType = primaryType;
  }

  public static TypedData of(Eip712Domain domain, String primaryType) {
    return new TypedData(domain, primaryType);
  }

  /** Declares a struct type: pairs of {name, solidityType}. */
  public TypedData type(String name, String[]... fields) {
    types.put(name, fields);
    return this;
  }

  /** Sets a message field (string, address, bytes32 hex, or a decimal integer string). */
  public TypedData field(String name, String value) {
    message.put(name, value);
    return this;
  }

  /** Sets a nested struct field. */
  public TypedData field(String name, ObjectNode value) {
    message.set(name, value);
    return this;
  }

  public static ObjectNode struct() {
    return JSON.createObjectNode();
  }

  /** The typed-data JSON document. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode t = root.putObject("types");
    ArrayNode d = t.putArray("EIP712Domain");
    d.addObject().put("name", "name").put("type", "string");
    d.addObject().put("name", "version").put("type", "string");
    d.addObject().put("name", "chainId").put("type", "uint256");
    d.addObject().put("name", "verifyingContract").put("type", "address");
    for (Map.Entry<String, String[][]> e : types.entrySet()) {
      ArrayNode a = t.putArray(e.getKey());
      for (String[] f : e.getValue()) {
        a.addObject().put("name", f[0]).put("type", f[1]);
      }
    }
    root.put("primaryType", primaryType);
    ObjectNode dom = root.putObject("domain");
    dom.put("name", domain.name());
    dom.put("version", domain.version());
    dom.put("chainId", Long.toString(domain.chainId()));
    dom.put("verifyingContract", domain.verifyingContract().hex());
    root.set("message", message);
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize typed data", e);
    }
  }

  /** keccak256(0x1901 || domainSeparator || hashStruct(message)). */
  public byte[] digest() {
    return encoder(toJson()).hashStructuredData();
  }

  /** hashStruct(domain). */
  public byte[] domainSeparator() {
    return encoder(toJson()).hashDomain();
  }

  /** Hashes any typed-data JSON document with web3j (used for the published vectors). */
  public static byte[] digestOfJson(String typedDataJson) {
    return encoder(typedDataJson).hashStructuredData();
  }

  static StructuredDataEncoder encoder(String json) {
    try {
      return new StructuredDataEncoder(json);
    } catch (IOException e) {
      throw new IllegalStateException("typed data JSON is invalid", e);
    }
  }
}
