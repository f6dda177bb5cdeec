package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.Scope;
import org.openshard.credentials.anchors.AnchorEnrollments;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.ring.RingProof;
import org.openshard.credentials.ring.RingProofs;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.envelope.ChunkOpener;
import org.openshard.crypto.envelope.EnvelopeSealer;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.SealedEnvelope;
import org.openshard.crypto.envelope.VerifiedKeyAnnouncement;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.GetInfoRequest;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.registry.RegistryServer;
import org.openshard.registry.client.RegistryClient;
import org.openshard.seller.keys.SellerKeyFile;
import org.openshard.testing.ChildProcess;
import picocli.CommandLine;

class SellerCommandTest {
  @TempDir Path dir;

  @Test
  void servesRegistersAuditsAndDeregistersOnSigterm() throws Exception {
    try (RegistryServer registry = Children.fastRegistry();
        EchoServer echo = EchoServer.builder().start();
        RegistryClient rc = RegistryClient.connect(registry.target())) {
      BuyerCredential cred = BuyerCredential.generate();
      rc.enrollAnchor(AnchorEnrollments.create(cred, System.currentTimeMillis()));
      Path key = dir.resolve("seller.key");
      SellerKeyFile.generate().write(key, false);
      Path audit = dir.resolve("audit.jsonl");
      List<String> args =
          List.of(
              "seller", "--listen", "127.0.0.1:0", "--registry", registry.target(), "--upstream", echo.baseUrl(),
              "--key", key.toString(), "--offering", "id=echo,service=echo-1,model=echo", "--metrics", "127.0.0.1:0",
              "--replay-store", "file:" + dir.resolve("replay"), "--audit-log", audit.toString(), "--key-rotation", "10m");
      try (ChildProcess p = ChildProcess.startJava("org.openshard.cli.Main", args, Map.of("OPENSHARD_LOG_LEVEL", "INFO"))) {
        ChildProcess.Listener grpc = p.awaitListening("seller", "grpc", 60_000);
        ChildProcess.Listener http = p.awaitListening("seller", "http", 30_000);

        PeerListing listing = rc.discover(DiscoverRequest.newBuilder().setServiceId("echo-1").build()).getPeers(0);
        assertEquals(grpc.target(), listing.getRegistration().getEndpoint());
        ManagedChannel ch = NettyChannelBuilder.forTarget(grpc.target()).usePlaintext().build();
        try {
          SellerInfo info = SellerGrpc.newBlockingStub(ch).getInfo(GetInfoRequest.getDefaultInstance());
          assertEquals(listing.getRegistration().getPeerId(), info.getPeerId());
          assertEquals("echo", info.getOfferings(0).getOfferingId());

          // One private request, sealed and proved as a buyer does.
          VerifiedKeyAnnouncement k = KeyAnnouncements.verify(info.getEncryptionKeys(0), info.getPeerId(), Instant.now());
          SealedQuery q = SealedQuery.newBuilder().setServiceId("echo-1")
              .setOpenaiRequestJson("{\"model\":\"echo-1\",\"messages\":[{\"role\":\"user\",\"content\":\"MAGENTA-OTTER-991\"}]}").build();
          SealedEnvelope sealed = EnvelopeSealer.seal(k, q, Instant.now());
          AnchorSet set = AnchorSet.fromProto(rc.anchorSet(0));
          long epoch = NullifierEpochs.defaults().epochAt(Instant.now());
          RingProof proof = RingProofs.prove(cred, set, List.of(set.indexOf(cred.anchor())), Scope.of(info.getPeerId(), epoch, 0),
              sealed.transcriptDigest(), SecureRandoms.get());
          Iterator<SellerEvent> events = infer(ch, sealed.toProto(proof.commitment(), proof.proof()));
          ChunkOpener opener = sealed.session().responseOpener();
          List<SellerEvent> all = new ArrayList<>();
          events.forEachRemaining(all::add);
          assertTrue(all.get(0).hasAccepted());
          StreamPayload body = opener.open(all.get(1).getChunk());
          assertTrue(body.getOpenaiResponseJson().contains("MAGENTA-OTTER-991"), "the echo answered");
          assertTrue(all.get(all.size() - 1).hasReceipt());
        } finally {
          ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(m.contains("openshard_seller_requests_total{outcome=\"ok\"} 1.0"), m);

        assertEquals(0, p.terminate(60_000));
        assertEquals(0, rc.discover(DiscoverRequest.newBuilder().setServiceId("echo-1").build()).getPeersCount());
        List<String> lines = Files.readAllLines(audit);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"outcome\":\"ok\""), lines.get(0));
        assertFalse(lines.get(0).contains("MAGENTA"));
        for (String l : p.stderr()) {
          assertFalse(l.contains("MAGENTA"), "prompt in the seller's log: " + l);
        }
      }
    }
  }

  private static Iterator<SellerEvent> infer(ManagedChannel ch, org.openshard.proto.v1.PrivacyEnvelope env) {
    java.util.concurrent.LinkedBlockingQueue<Object> q = new java.util.concurrent.LinkedBlockingQueue<>();
    Object end = new Object();
    var req = SellerGrpc.newStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).infer(new io.grpc.stub.StreamObserver<SellerEvent>() {
      @Override
      public void onNext(SellerEvent value) {
        q.add(value);
      }

      @Override
      public void onError(Throwable t) {
        q.add(t);
      }

      @Override
      public void onCompleted() {
        q.add(end);
      }
    });
    req.onNext(BuyerFrame.newBuilder().setEnvelope(env).build());
    req.onCompleted();
    List<SellerEvent> out = new ArrayList<>();
    while (true) {
      Object o;
      try {
        o = q.poll(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      if (o == end) {
        return out.iterator();
      }
      if (o instanceof Throwable || o == null) {
        throw new AssertionError("Infer failed: " + o);
      }
      out.add((SellerEvent) o);
    }
  }

  @Test
  void helpShowsExamplesAndBadOptionsFailFast() throws Exception {
    StringWriter help = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(help));
    assertEquals(0, cl.execute("seller", "--help"));
    assertTrue(help.toString().contains("--offering"), help.toString());
    assertTrue(help.toString().contains("./openshard seller --key seller.key --registry"), help.toString());

    Path key = dir.resolve("k");
    SellerKeyFile.generate().write(key, false);
    CommandLine bad = Main.commandLine();
    bad.setErr(new PrintWriter(new StringWriter()));
    String[] base = {"seller", "--registry", "127.0.0.1:1", "--upstream", "http://127.0.0.1:1/v1", "--key", key.toString()};
    assertEquals(2, bad.execute(base), "no offering");
    assertEquals(2, bad.execute(concat(base, "--offering", "id=a,service=s")), "offering without a model");
    assertEquals(2, bad.execute(concat(base, "--offering", "id=a,service=s,model=m", "--replay-store", "memory")));
    assertEquals(2, bad.execute("seller", "--upstream", "ftp://x", "--key", key.toString(), "--offering", "id=a,service=s,model=m",
        "--registry", "127.0.0.1:1"));
    assertEquals(2, bad.execute("seller", "--upstream", "http://127.0.0.1:1/v1", "--key", dir.resolve("missing").toString(),
        "--offering", "id=a,service=s,model=m", "--registry", "127.0.0.1:1"));
    assertTrue(bad.execute("seller", "--key", key.toString()) != 0, "--upstream is required");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
