package org.openshard.buyer.select;

import org.openshard.buyer.index.SellerListing;
import org.openshard.proto.v1.Offering;

/** A seller that passed the filters, the offering it would serve with, and its score. */
public final class Candidate {
  private final SellerListing listing;
  private final Offering offering;
  private final double score;

  public Candidate(SellerListing listing, Offering offering, double score) {
    this.listing = listing;
    this.offering = offering;
    this.score = score;
  }

  public SellerListing listing() {
    return listing;
  }

  public String peerId() {
    return listing.peerId();
  }

  public Offering offering() {
    return offering;
  }

  public double score() {
    return score;
  }

  @Override
  public String toString() {
    return listing.peerId() + " (" + offering.getOfferingId() + ", score " + String.format("%.4f", score) + ")";
  }
}
