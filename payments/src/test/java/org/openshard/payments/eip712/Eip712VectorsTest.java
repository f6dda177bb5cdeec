package org.openshard.payments.eip712;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.EthAddress;

/**
 * web3j's StructuredDataEncoder (through {@link TypedData}) against published vectors:
 * the EIP-712 "Mail" example (EIP-712 spec, assets/eip-712/Example.js) and the EIP-3009
 * TransferWithAuthorization examples on USDC (x402 "exact" scheme), as listed in
 * shared/reference/test-vectors.md.
 */
class Eip712VectorsTest {
  private static final String MAIL_JSON = """
      {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
        {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
       "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
       "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
       "primaryType":"Mail",
       "domain":{"name":"Ether Mail","version":"1","chainId":"1","verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
       "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                  "to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                  "contents":"Hello, Bob!"}}
      """;

  @Test
  void mailVectorDigestSignatureAndRecovery() throws Exception {
    byte[] digest = TypedData.digestOfJson(MAIL_JSON);
    assertEquals("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Bytes.hex(digest));

    Secp256k1PrivateKey cow = Secp256k1PrivateKey.fromBytes(Hashes.keccak256("cow".getBytes(StandardCharsets.UTF_8)));
    assertEquals("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826", cow.publicKey().ethereumAddress());
    byte[] sig = IdentitySignatures.signDigest(cow, digest);
    assertEquals("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d", Bytes.hex(Arrays.copyOfRange(sig, 0, 32)));
    assertEquals("07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562", Bytes.hex(Arrays.copyOfRange(sig, 32, 64)));
    assertEquals(28, sig[64]);
    Eip712Signature s = Eip712Signature.of(Eip712Signature.Kind.VOUCHER, sig, "sig");
    assertEquals(EthAddress.of("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"), s.recover(digest));
  }

  private static final String TWA = "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
      + "uint256 validBefore,bytes32 nonce)";

  @Test
  void eip3009Typehashes() {
    assertEquals("7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267", Bytes.hex(PaymentTypes.typehash(TWA)));
    assertEquals("d099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8",
        Bytes.hex(PaymentTypes.typehash(TWA.replace("TransferWithAuthorization", "ReceiveWithAuthorization"))));
  }

  static TypedData transfer(Eip712Domain domain) {
    return TypedData.of(domain, "TransferWithAuthorization")
        .type("TransferWithAuthorization",
            new String[] {"from", "address"}, new String[] {"to", "address"}, new String[] {"value", "uint256"},
            new String[] {"validAfter", "uint256"}, new String[] {"validBefore", "uint256"}, new String[] {"nonce", "bytes32"})
        .field("from", "0x857b06519E91e3A54538791bDbb0E22373e36b66")
        .field("to", "0x209693Bc6afc0C5328bA36FaF03C514EF312287C")
        .field("value", "10000")
        .field("validAfter", "1740672089")
        .field("validBefore", "1740672154")
        .field("nonce", "0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480");
  }

  private static final Eip712Domain BASE =
      new Eip712Domain("USD Coin", "2", 8453, EthAddress.of("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"));
  private static final Eip712Domain BASE_SEPOLIA =
      new Eip712Domain("USDC", "2", 84532, EthAddress.of("0x036CbD53842c5426634e7929541eC2318f3dCF7e"));

  @Test
  void usdcDomainSeparators() {
    assertEquals("02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f", Bytes.hex(transfer(BASE).domainSeparator()));
    assertEquals("71f17a3b2ff373b803d70a5a07c046c1a2bc8e89c09ef722fcb047abe94c9818",
        Bytes.hex(transfer(BASE_SEPOLIA).domainSeparator()));
  }

  @Test
  void baseSepoliaExampleDigestAndSignatureRecoversFrom() throws Exception {
    byte[] digest = transfer(BASE_SEPOLIA).digest();
    assertEquals("f256992871671abcb27ff92885a7afa46218724e5fc0bac35d050115aa1d22e6", Bytes.hex(digest));
    byte[] sig = Bytes.fromHex("0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c");
    assertEquals(EthAddress.of("0x857b06519E91e3A54538791bDbb0E22373e36b66"),
        Eip712Signature.of(Eip712Signature.Kind.VOUCHER, sig, "sig").recover(digest));
  }

  @Test
  void baseMainnetDigest() {
    assertEquals("444525a9689ec738b55da4d54465ff77ab6928e5ea97a13f4037262ba070684a", Bytes.hex(transfer(BASE).digest()));
  }

  @Test
  void sameMessageUnderTheOtherDomainDiffers() {
    assertArrayEquals(transfer(BASE).digest(), transfer(BASE).digest());
    org.junit.jupiter.api.Assertions.assertFalse(Arrays.equals(transfer(BASE).digest(), transfer(BASE_SEPOLIA).digest()));
  }
}
