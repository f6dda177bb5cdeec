package org.openshard.buyer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.fakes.FakeKeys;
import org.openshard.buyer.fakes.FakeSeller;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;

class SellerIndexTest {
  private final SellerIndex index = new SellerIndex(new ListingVerifier(new FakeKeys()), Clock.systemUTC());
  private final FakeSeller a = new FakeSeller("a", List.of(FakeSeller.offering("oa", "m1", 10, 20)));

  @Test
  void aProperlySignedListingIsAdded() throws Exception {
    SellerIndex.Applied r = index.apply(a.listing(0.7, LoadReport.getDefaultInstance(), 1000));
    assertEquals(SellerIndex.Change.ADDED, r.change());
    assertEquals(a.peerId, r.peerId());
    SellerListing l = index.get(a.peerId).orElseThrow();
    assertEquals("a", l.endpoint());
    assertEquals(0.7, l.health());
    assertEquals("k1", l.key().keyId());
  }

  @Test
  void aRegistrationSignedBySomeoneElseIsRejected() {
    PeerListing good = a.listing();
    Secp256k1PrivateKey mallory = Secp256k1PrivateKey.generate();
    byte[] bytes = good.getSignedRegistration().getRegistration().toByteArray();
    PeerListing forged =
        good.toBuilder()
            .setSignedRegistration(
                RegisterRequest.newBuilder()
                    .setRegistration(ByteString.copyFrom(bytes))
                    .setSignature(ByteString.copyFrom(IdentitySignatures.sign(mallory, ListingVerifier.REGISTRATION_CONTEXT, bytes))))
            .build();
    BuyerException e = assertThrows(BuyerException.class, () -> index.apply(forged));
    assertEquals(ErrorCode.SIGNATURE_INVALID, e.code());
    assertEquals(0, index.size());
  }

  @Test
  void theRegistrysDecodedCopyIsNotTrusted() throws Exception {
    PeerListing good = a.listing();
    PeerListing lying =
        good.toBuilder().setRegistration(good.getRegistration().toBuilder().setEndpoint("evil:1").build()).build();
    index.apply(lying);
    assertEquals("a", index.get(a.peerId).orElseThrow().endpoint());
  }

  @Test
  void tamperedBytesOrAKeySignedByAnotherPeerAreRejected() {
    PeerListing good = a.listing();
    byte[] bytes = good.getSignedRegistration().getRegistration().toByteArray();
    bytes[bytes.length - 1] ^= 1;
    PeerListing tampered =
        good.toBuilder()
            .setSignedRegistration(good.getSignedRegistration().toBuilder().setRegistration(ByteString.copyFrom(bytes)))
            .build();
    assertThrows(BuyerException.class, () -> index.apply(tampered));

    Secp256k1PrivateKey other = Secp256k1PrivateKey.generate();
    SellerRegistration reg =
        SellerRegistration.newBuilder()
            .setPeerId(a.peerId)
            .setEndpoint("a")
            .addAllOfferings(a.offerings)
            .setEncryptionKey(FakeKeys.announce(other, "k9", Instant.now().minusSeconds(5), Instant.now().plusSeconds(60)))
            .build();
    byte[] rb = reg.toByteArray();
    PeerListing wrongKey =
        PeerListing.newBuilder()
            .setSignedRegistration(
                RegisterRequest.newBuilder()
                    .setRegistration(ByteString.copyFrom(rb))
                    .setSignature(ByteString.copyFrom(IdentitySignatures.sign(a.identity, ListingVerifier.REGISTRATION_CONTEXT, rb))))
            .build();
    BuyerException e = assertThrows(BuyerException.class, () -> index.apply(wrongKey));
    assertEquals(ErrorCode.SIGNATURE_INVALID, e.code());
  }

  @Test
  void anExpiredKeyIsRejected() {
    FakeSeller s = new FakeSeller("x", List.of(FakeSeller.offering("o", "m", 1, 1)));
    SellerIndex later = new SellerIndex(new ListingVerifier(new FakeKeys()), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
    BuyerException e = assertThrows(BuyerException.class, () -> later.apply(s.listing()));
    assertEquals(ErrorCode.SELLER_KEY_EXPIRED, e.code());
  }

  @Test
  void sameBytesOnlyRefreshSignalsAndOlderRegistrationsAreIgnored() throws Exception {
    PeerListing first = a.listing(0.5, LoadReport.getDefaultInstance(), 2000);
    index.apply(first);
    SellerIndex.Applied again = index.apply(first.toBuilder().setHealth(0.9).setLoad(LoadReport.newBuilder().setInFlight(3)).build());
    assertEquals(SellerIndex.Change.SIGNALS_ONLY, again.change());
    assertEquals(0.9, index.get(a.peerId).orElseThrow().health());
    assertEquals(3, index.get(a.peerId).orElseThrow().load().getInFlight());
    assertEquals(SellerIndex.Change.IGNORED_STALE, index.apply(a.listing(1.0, LoadReport.getDefaultInstance(), 1000)).change());
    assertEquals(SellerIndex.Change.UPDATED, index.apply(a.listing(1.0, LoadReport.getDefaultInstance(), 3000)).change());
  }

  @Test
  void removalAndRetainNotifyListeners() throws Exception {
    FakeSeller b = new FakeSeller("b", List.of(FakeSeller.offering("ob", "m1", 1, 1)));
    index.apply(a.listing());
    index.apply(b.listing());
    List<String> removed = new ArrayList<>();
    index.onRemoved(l -> removed.add(l.peerId()));
    index.retainOnly(Set.of(b.peerId));
    assertEquals(List.of(a.peerId), removed);
    assertTrue(index.remove(b.peerId.toUpperCase().replace("0X", "0x")));
    assertFalse(index.remove(b.peerId));
    assertEquals(0, index.size());
  }

  @Test
  void modelCatalogAggregatesSellersAndLowestPrices() throws Exception {
    FakeSeller b = new FakeSeller("b", List.of(FakeSeller.offering("ob", "m1", 5, 50), FakeSeller.offering("ob2", "m2", 7, 7)));
    index.apply(a.listing());
    index.apply(b.listing());
    ListModelsResponse r = new ModelCatalog(index).list();
    assertEquals(2, r.getModelsCount());
    assertEquals("m1", r.getModels(0).getId());
    assertEquals(2, r.getModels(0).getSellerCount());
    assertEquals(5, r.getModels(0).getLowestPrice().getInputPerMillion());
    assertEquals(20, r.getModels(0).getLowestPrice().getOutputPerMillion());
    assertEquals("m2", r.getModels(1).getId());
    assertEquals(1, r.getModels(1).getSellerCount());
  }
}
