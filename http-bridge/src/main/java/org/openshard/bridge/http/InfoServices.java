package org.openshard.bridge.http;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Optional;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.backend.RequestContext;
import org.openshard.bridge.e2ee.E2eeException;
import org.openshard.bridge.e2ee.E2eeNegotiator;
import org.openshard.bridge.e2ee.Endpoint;
import org.openshard.bridge.e2ee.HexInput;
import org.openshard.bridge.e2ee.aci.AciAttestation;
import org.openshard.bridge.e2ee.legacy.LegacyReport;
import org.openshard.bridge.e2ee.legacy.SigningAlgo;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.receipts.ReceiptDraft;
import org.openshard.bridge.receipts.Receipts;
import org.openshard.crypto.Secp256k1PrivateKey;

/** The GET endpoints: models, ACI attestation, legacy attestation report, receipts. */
final class InfoServices {
  private InfoServices() {}

  static HttpResponse json(com.fasterxml.jackson.databind.JsonNode node) {
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8).build(),
        HttpData.wrap(BridgeJson.bytes(node)));
  }

  /** {@code GET /v1/models} from the backend. ACI E2EE headers here → e2ee_unsupported_endpoint. */
  static HttpService models(ChatBackend backend, E2eeNegotiator negotiator) {
    return (ctx, req) -> {
      try {
        negotiator.negotiate(name -> req.headers().get(name), Endpoint.MODELS);
      } catch (E2eeException e) {
        return ApiError.e2ee(e).response();
      }
      ReceiptDraft draft = ctx.attr(ReceiptDecorator.DRAFT);
      RequestContext rc =
          new RequestContext(
              draft == null ? "" : draft.receiptId(), req.headers().get(InferenceService.PEER_HEADER), false, null);
      return HttpResponse.of(
          backend.models(rc).handle((m, err) -> err != null ? BackendErrors.toApiError(err).response() : json(m)));
    };
  }

  /** {@code GET /v1/aci/attestation?nonce=<hex>}; the nonce is optional, 1..64 bytes of hex. */
  static HttpService aciAttestation(AciAttestation attestation) {
    return (ctx, req) -> {
      String nonce = ctx.queryParam("nonce");
      byte[] nonceBytes = new byte[0];
      if (nonce != null) {
        nonceBytes = HexInput.parseOrNull(nonce);
        if (nonceBytes == null || nonce.startsWith("0x") || nonceBytes.length > 64) {
          return ApiError.invalidRequest("nonce must be 2..128 hex characters", "nonce", null).response();
        }
      }
      return json(attestation.document(nonceBytes));
    };
  }

  /** {@code GET /v1/attestation/report?signing_algo=ecdsa|ed25519[&nonce=…]} (default ecdsa). */
  static HttpService legacyReport(ServiceKeys keys, Secp256k1PrivateKey identity) {
    return (ctx, req) -> {
      String algoText = ctx.queryParam("signing_algo");
      SigningAlgo algo = algoText == null ? SigningAlgo.ECDSA : SigningAlgo.parse(algoText);
      if (algo == null) {
        return ApiError.invalidRequest("signing_algo must be ecdsa or ed25519", "signing_algo", null).response();
      }
      String nonce = ctx.queryParam("nonce");
      if (nonce != null && (nonce.length() > 256 || nonce.isEmpty())) {
        return ApiError.invalidRequest("nonce must be 1..256 characters", "nonce", null).response();
      }
      return json(LegacyReport.document(algo, keys, nonce, identity));
    };
  }

  /** {@code GET /v1/aci/receipts/{id}}: the signed JCS document. */
  static HttpService receipts(Receipts receipts) {
    return (ServiceRequestContext ctx, HttpRequest req) -> {
      String id = ctx.pathParam("id");
      Optional<byte[]> doc = id == null ? Optional.empty() : receipts.get(id);
      if (doc.isEmpty()) {
        return ApiError.notFound("no receipt with that id (unknown, expired, or its response has not ended)").response();
      }
      return HttpResponse.of(
          ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8).build(), HttpData.wrap(doc.get()));
    };
  }
}
