package org.openshard.credentials;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.anchors.TrustedAnchorSets;

/** Test fixtures: a population of random credentials and the anchor set they form. */
public final class Fixtures {
  public static final SecureRandom RANDOM = new SecureRandom();
  public static final String SELLER = "0x1111111111111111111111111111111111111111";
  public static final String OTHER_SELLER = "0x2222222222222222222222222222222222222222";

  public final List<BuyerCredential> credentials;
  public final AnchorSet set;

  private Fixtures(List<BuyerCredential> credentials, AnchorSet set) {
    this.credentials = credentials;
    this.set = set;
  }

  public static Fixtures population(int size, long epoch) {
    List<BuyerCredential> creds = new ArrayList<>();
    List<Anchor> anchors = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      BuyerCredential c = BuyerCredential.generate(RANDOM);
      creds.add(c);
      anchors.add(c.anchor());
    }
    try {
      return new Fixtures(creds, AnchorSet.of(epoch, anchors, 1_700_000_000_000L));
    } catch (CredentialException e) {
      throw new AssertionError(e);
    }
  }

  public TrustedAnchorSets trusted() {
    TrustedAnchorSets t = new TrustedAnchorSets(4);
    t.add(set);
    return t;
  }

  public static byte[] digest(int seed) {
    byte[] d = new byte[32];
    for (int i = 0; i < 32; i++) {
      d[i] = (byte) (seed * 31 + i);
    }
    return d;
  }
}
