package org.openshard.bridge.e2ee.aci;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openshard.bridge.jcs.Jcs;

/** ACI E2EE v2 associated data: the JCS form of a small JSON object per field. */
public final class AciAad {
  public static final String REQUEST_PURPOSE = "aci.e2ee.request.v2";
  public static final String RESPONSE_PURPOSE = "aci.e2ee.response.v2";

  private AciAad() {}

  /** {@code {"algo","field","model","nonce","purpose":"aci.e2ee.request.v2","ts"}}. */
  public static byte[] request(AciSuite suite, String field, String model, String nonce, long ts) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("algo", suite.algo());
    o.put("field", field);
    o.put("model", model);
    o.put("nonce", nonce);
    o.put("purpose", REQUEST_PURPOSE);
    o.put("ts", ts);
    return Jcs.canonicalize(o);
  }

  /** {@code {"algo","field","id","model","nonce","purpose":"aci.e2ee.response.v2","ts"}}. */
  public static byte[] response(AciSuite suite, String field, String id, String model, String nonce, long ts) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("algo", suite.algo());
    o.put("field", field);
    o.put("id", id);
    o.put("model", model);
    o.put("nonce", nonce);
    o.put("purpose", RESPONSE_PURPOSE);
    o.put("ts", ts);
    return Jcs.canonicalize(o);
  }
}
