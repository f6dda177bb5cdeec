package org.openshard.payments.settlement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Secp256k1;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.channel.BuyerChannel;
import org.openshard.payments.channel.BuyerChannels;
import org.openshard.payments.channel.BuyerPolicy;
import org.openshard.payments.channel.ChannelKey;
import org.openshard.payments.channel.ChannelValidator;
import org.openshard.payments.channel.FileChannelStore;
import org.openshard.payments.channel.PaymentAdmission;
import org.openshard.payments.channel.PaymentProtos;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.Eip712Signature;
import org.openshard.payments.eip712.PaymentTypes;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.TypedData;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.testing.AnvilChain;
import org.openshard.payments.money.Rates;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.Usage;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.BytesType;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

/** The escrow contract on a real local chain (anvil), driven through {@link ChainLedger}. */
class ChainLedgerAnvilTest {
  static AnvilChain chain;
  static WalletKey deployer;
  static ChainLedger ledger;
  @TempDir Path dir;

  @BeforeAll
  static void deploy() throws Exception {
    chain = AnvilChain.start();
    deployer = WalletKey.generate();
    chain.fund(deployer.address().hex());
    ledger = ChainLedger.deployLocal(chain.rpcUrl, deployer, 3600, Usdc.ofUnits(1_000_000));
  }

  @AfterAll
  static void stop() {
    if (ledger != null) {
      ledger.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  WalletKey funded(long usdcUnits) throws Exception {
    WalletKey k = WalletKey.generate();
    chain.fund(k.address().hex());
    if (usdcUnits > 0) {
      ledger.mintMock(deployer, k.address(), Usdc.ofUnits(usdcUnits));
    }
    return k;
  }

  byte[] call32(EthAddress to, String name) throws Exception {
    Function f = new Function(name, List.of(), List.of(new TypeReference<org.web3j.abi.datatypes.generated.Bytes32>() {}));
    String out = chain.web3.ethCall(Transaction.createEthCallTransaction(null, to.hex(), FunctionEncoder.encode(f)),
        DefaultBlockParameterName.LATEST).send().getValue();
    @SuppressWarnings("rawtypes")
    List<Type> v = FunctionReturnDecoder.decode(out, f.getOutputParameters());
    return ((BytesType) v.get(0)).getValue();
  }

  @Test
  void contractAgreesWithTheJavaTypedData() throws Exception {
    VoucherMessage m = new VoucherMessage(ChannelId.random(), EthAddress.ZERO, Usdc.ZERO, 1, Bytes32.ZERO);
    assertArrayEquals(m.typedData(ledger.domain()).domainSeparator(), call32(ledger.escrowContract(), "domainSeparator"));
    assertArrayEquals(PaymentTypes.typehash(PaymentTypes.VOUCHER), call32(ledger.escrowContract(), "VOUCHER_TYPEHASH"));
    assertArrayEquals(PaymentTypes.typehash(PaymentTypes.CHANNEL_OPEN), call32(ledger.escrowContract(), "CHANNEL_OPEN_TYPEHASH"));
    assertEquals(31337, ledger.chainId());
    ChainLedger connected = ChainLedger.connect(chain.rpcUrl, ledger.escrowContract());
    assertEquals(ledger.token(), connected.token());
    assertEquals(3600, connected.challengeWindowSeconds());
  }

  @Test
  void buyerSellerAndSettlementOnChain() throws Exception {
    WalletKey buyerWallet = funded(100_000_000);
    WalletKey sellerWallet = funded(0);
    FileChannelStore store = FileChannelStore.open(dir.resolve("seller"));
    ChannelValidator seller = new ChannelValidator(sellerWallet.address(), store, ledger, Clock.systemUTC());
    BuyerPolicy policy = new BuyerPolicy(Usdc.ofUnits(2_000_000), Usdc.ofUnits(2_000_000), Usdc.ofUnits(10_000_000),
        7 * 24 * 3600L, 2 * 3600L, 3);
    BuyerChannels buyer = BuyerChannels.open(dir.resolve("buyer.json"), ledger, buyerWallet, policy, Clock.systemUTC());
    Rates rates = Rates.of(1_000_000, 0, 1_000_000);

    BuyerChannels.Negotiation n = buyer.negotiate(seller.terms(), Usdc.ofUnits(1_500_000));
    PaymentAuthorization auth = n.respond(assertThrows(PaymentException.class,
        () -> seller.admit(null, rates, Usdc.ofUnits(1_500_000))).paymentRequired().orElseThrow());
    PaymentAdmission a = seller.admit(auth, rates, Usdc.ofUnits(1_500_000));
    assertEquals(1_000, seller.settle(a, Usage.newBuilder().setPromptTokens(600).setCompletionTokens(400).build()).charged().units());

    // a second request needing more than the deposit: the buyer tops up on-chain first
    BuyerChannels.Negotiation n2 = buyer.negotiate(seller.terms(), Usdc.ofUnits(3_000_000));
    PaymentAuthorization auth2 = n2.respond(assertThrows(PaymentException.class,
        () -> seller.admit(auth, rates, Usdc.ofUnits(3_000_000))).paymentRequired().orElseThrow());
    BuyerChannel bc = buyer.channel(seller.terms()).orElseThrow();
    assertEquals(4_000_000, ledger.channel(bc.id()).orElseThrow().deposit().units());
    PaymentAdmission b = seller.admit(auth2, rates, Usdc.ofUnits(3_000_000));
    assertEquals(3_001_000, b.authorized().units());
    seller.settle(b, Usage.newBuilder().setCompletionTokens(10).build());

    SellerSettlement settlement = new SellerSettlement(store, ledger, sellerWallet);
    SellerSettlement.ClaimResult claim = settlement.claimHighest(bc.id());
    assertEquals(SellerSettlement.Outcome.PAID, claim.outcome());
    assertEquals(3_001_000, claim.paid().units());
    assertEquals(3_001_000, ledger.balanceOf(sellerWallet.address()).units());
    assertEquals(SellerSettlement.Outcome.ALREADY_CLAIMED, settlement.claimHighest(bc.id()).outcome());
    // replaying the first voucher on-chain is refused
    assertEquals(Reason.STALE_VOUCHER, assertThrows(PaymentException.class,
        () -> ledger.claim(sellerWallet, PaymentProtos.voucher(auth.getVoucher()))).reason());

    // the payer cannot withdraw early; after expiry + challenge window it gets the rest
    assertEquals(Reason.LEDGER_FAILED, assertThrows(PaymentException.class, () -> buyer.withdraw(bc.id())).reason());
    long before = ledger.balanceOf(buyerWallet.address()).units();
    chain.advance(bc.expiryUnix() - ledger.nowUnix() + ledger.challengeWindowSeconds() + 1);
    assertEquals(4_000_000 - 3_001_000, buyer.withdraw(bc.id()).units());
    assertEquals(before + 999_000, ledger.balanceOf(buyerWallet.address()).units());
    assertTrue(ledger.channel(bc.id()).orElseThrow().closed());
  }

  ChannelId openRaw(WalletKey payer, ChannelKey key, EthAddress payee, long deposit) throws Exception {
    ChannelId id = ChannelId.random();
    ledger.open(payer, new ChannelOpenMessage(id, key.address(), payee, Usdc.ofUnits(deposit), ledger.nowUnix() + 86_400));
    return id;
  }

  @Test
  void forgedMalleableAndAboveDepositVouchersOnChain() throws Exception {
    WalletKey payer = funded(10_000_000);
    WalletKey payee = funded(0);
    ChannelKey key = ChannelKey.generate();
    ChannelId id = openRaw(payer, key, payee.address(), 1_000_000);
    Eip712Domain d = ledger.domain();
    VoucherMessage m = new VoucherMessage(id, payee.address(), Usdc.ofUnits(300_000), 1, Bytes32.ZERO);

    SignedVoucher forged = ChannelKey.generate().signVoucher(d, m);
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> ledger.claim(payee, forged)).reason());

    byte[] sig = key.signVoucher(d, m).signature().toBytes();
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] twin = sig.clone();
    System.arraycopy(Secp256k1.to32Bytes(Secp256k1.N.subtract(s)), 0, twin, 32, 32);
    twin[64] = (byte) (sig[64] == 27 ? 28 : 27);
    SignedVoucher malleable = new SignedVoucher(m, Eip712Signature.of(Eip712Signature.Kind.VOUCHER, twin, "s"));
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> ledger.claim(payee, malleable)).reason());

    // a voucher above the deposit pays the deposit: the channel can always close
    SignedVoucher above = key.signVoucher(d, new VoucherMessage(id, payee.address(), Usdc.ofUnits(5_000_000), 2, Bytes32.ZERO));
    assertEquals(1_000_000, ledger.claim(payee, above).units());
    LedgerChannel c = ledger.channel(id).orElseThrow();
    assertEquals(1_000_000, c.claimed().units());
    assertEquals(2, c.lastSequence());
  }

  @Test
  void mockUsdcTransferWithAuthorizationAndAnchorBacking() throws Exception {
    WalletKey from = funded(50_000);
    WalletKey relayer = funded(0);
    EthAddress to = WalletKey.generate().address();
    Eip712Domain usdcDomain = new Eip712Domain("USD Coin", "2", ledger.chainId(), ledger.token());
    long now = ledger.nowUnix();
    String nonce = "0x" + "ab".repeat(32);
    TypedData t = TypedData.of(usdcDomain, "TransferWithAuthorization")
        .type("TransferWithAuthorization", new String[] {"from", "address"}, new String[] {"to", "address"},
            new String[] {"value", "uint256"}, new String[] {"validAfter", "uint256"}, new String[] {"validBefore", "uint256"},
            new String[] {"nonce", "bytes32"})
        .field("from", from.address().hex()).field("to", to.hex()).field("value", "10000")
        .field("validAfter", Long.toString(now - 60)).field("validBefore", Long.toString(now + 3600)).field("nonce", nonce);
    byte[] sig = org.openshard.crypto.IdentitySignatures.signDigest(from.privateKey(), t.digest());
    Function twa = new Function("transferWithAuthorization", List.of(new Address(from.address().hex()), new Address(to.hex()),
        new org.web3j.abi.datatypes.generated.Uint256(10_000), new org.web3j.abi.datatypes.generated.Uint256(now - 60),
        new org.web3j.abi.datatypes.generated.Uint256(now + 3600), new org.web3j.abi.datatypes.generated.Bytes32(Bytes32.fromHex(nonce, "n").toBytes()),
        new org.web3j.abi.datatypes.generated.Uint8(sig[64] & 0xff),
        new org.web3j.abi.datatypes.generated.Bytes32(Arrays.copyOfRange(sig, 0, 32)),
        new org.web3j.abi.datatypes.generated.Bytes32(Arrays.copyOfRange(sig, 32, 64))), List.of());
    String data = FunctionEncoder.encode(twa);
    var ok = chain.web3.ethCall(Transaction.createEthCallTransaction(relayer.address().hex(), ledger.token().hex(), data),
        DefaultBlockParameterName.LATEST).send();
    assertFalse(ok.isReverted() || ok.hasError(), "a valid EIP-3009 authorization is accepted");
    // the same authorization for another amount is refused
    Function tampered = new Function("transferWithAuthorization", twa.getInputParameters().size() == 9
        ? replaceValue(twa) : List.of(), List.of());
    var bad = chain.web3.ethCall(Transaction.createEthCallTransaction(relayer.address().hex(), ledger.token().hex(),
        FunctionEncoder.encode(tampered)), DefaultBlockParameterName.LATEST).send();
    assertTrue(bad.isReverted() || bad.hasError(), "a tampered EIP-3009 authorization is refused");

    // anchors backed by a funded channel
    WalletKey payer = funded(5_000_000);
    ChannelId id = openRaw(payer, ChannelKey.generate(), WalletKey.generate().address(), 2_000_000);
    byte[] anchor = new byte[32];
    anchor[0] = 7;
    Function back = new Function("backAnchor", List.of(new org.web3j.abi.datatypes.generated.Bytes32(anchor),
        new org.web3j.abi.datatypes.generated.Bytes32(id.toBytes())), List.of());
    var sim = chain.web3.ethCall(Transaction.createEthCallTransaction(payer.address().hex(), ledger.escrowContract().hex(),
        FunctionEncoder.encode(back)), DefaultBlockParameterName.LATEST).send();
    assertFalse(sim.isReverted() || sim.hasError(), "the payer may back an anchor with its channel");
    var notPayer = chain.web3.ethCall(Transaction.createEthCallTransaction(relayer.address().hex(), ledger.escrowContract().hex(),
        FunctionEncoder.encode(back)), DefaultBlockParameterName.LATEST).send();
    assertTrue(notPayer.isReverted() || notPayer.hasError(), "only the payer may back an anchor");
    Function backed = new Function("isAnchorBacked", List.of(new org.web3j.abi.datatypes.generated.Bytes32(anchor)),
        List.of(new TypeReference<Bool>() {}));
    String out = chain.web3.ethCall(Transaction.createEthCallTransaction(null, ledger.escrowContract().hex(),
        FunctionEncoder.encode(backed)), DefaultBlockParameterName.LATEST).send().getValue();
    assertFalse(((Bool) FunctionReturnDecoder.decode(out, backed.getOutputParameters()).get(0)).getValue(),
        "nothing is backed before backAnchor is mined");
    Bytes32 anchorHash = Bytes32.of(anchor, "anchor");
    assertFalse(ledger.isAnchorBacked(anchorHash));
    ledger.backAnchor(payer, anchorHash, id);
    assertTrue(ledger.isAnchorBacked(anchorHash));
    ChannelId small = openRaw(payer, ChannelKey.generate(), WalletKey.generate().address(), 500_000);
    assertEquals(Reason.LEDGER_FAILED, assertThrows(PaymentException.class,
        () -> ledger.backAnchor(payer, Bytes32.fromHex("01".repeat(32), "a"), small)).reason(), "below the minimum backing");
  }

  @SuppressWarnings("rawtypes")
  private static List<Type> replaceValue(Function f) {
    List<Type> in = new java.util.ArrayList<>(f.getInputParameters());
    in.set(2, new org.web3j.abi.datatypes.generated.Uint256(10_001));
    return in;
  }
}
