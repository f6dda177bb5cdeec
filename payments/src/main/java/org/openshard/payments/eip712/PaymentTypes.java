package org.openshard.payments.eip712;

import java.nio.charset.StandardCharsets;
import org.openshard.crypto.Hashes;

/** The EIP-712 type strings of OpenShard payments and their typehashes (keccak256 of the string). */
public final class PaymentTypes {
  public static final String DOMAIN =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
  public static final String CHANNEL_OPEN =
      "ChannelOpen(bytes32 channelId,address signer,address payee,uint256 maxAmount,uint256 expiry)";
  public static final String VOUCHER =
      "Voucher(bytes32 channelId,address payee,uint256 cumulativeAmount,uint256 sequence,bytes32 usageDigest)";

  private PaymentTypes() {}

  public static byte[] typehash(String typeString) {
    return Hashes.keccak256(typeString.getBytes(StandardCharsets.UTF_8));
  }
}
