package org.openshard.buyer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.openshard.runtime.ListenAddress;

/**
 * How to run a buyer: the registries to use, the credential file, options, and (for a
 * {@link BuyerNode}) where to listen.
 */
public final class BuyerConfig {
  private final List<String> registries;
  private final Path credentialFile;
  private final org.openshard.buyer.payments.BuyerPayments payments;
  private final BuyerOptions options;
  private final ListenAddress listen;
  private final ListenAddress metrics;
  private final Duration readyTimeout;
  private final boolean announce;

  private BuyerConfig(Builder b) {
    if (b.registries.isEmpty()) {
      throw new IllegalArgumentException("at least one registry target (host:port) is needed");
    }
    this.registries = List.copyOf(b.registries);
    this.credentialFile = b.credentialFile;
    this.options = b.options;
    this.listen = b.listen;
    this.metrics = b.metrics;
    this.readyTimeout = b.readyTimeout;
    this.announce = b.announce;
    this.payments = b.payments;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> registries() {
    return registries;
  }

  /** The credential file, or null for a throw-away credential that lives only in memory. */
  public Path credentialFile() {
    return credentialFile;
  }

  public BuyerOptions options() {
    return options;
  }

  public ListenAddress listen() {
    return listen;
  }

  /** Where to serve Prometheus metrics, or null for none. */
  public ListenAddress metrics() {
    return metrics;
  }

  /** How long start-up waits for the registry snapshot and an anchor set with the buyer's anchor. */
  public Duration readyTimeout() {
    return readyTimeout;
  }

  /** Whether servers print their LISTENING lines. */
  public boolean announce() {
    return announce;
  }

  /** Builder. */
  /** How priced sellers are paid, or null: then only free offerings are used (a PaymentRequired moves on). */
  public org.openshard.buyer.payments.BuyerPayments payments() {
    return payments;
  }

  public static final class Builder {
    private final List<String> registries = new ArrayList<>();
    private Path credentialFile;
    private BuyerOptions options = BuyerOptions.defaults();
    private ListenAddress listen = ListenAddress.loopback(0);
    private ListenAddress metrics;
    private Duration readyTimeout = Duration.ofSeconds(30);
    private boolean announce;
    private org.openshard.buyer.payments.BuyerPayments payments;

    private Builder() {}

    /**
     * Pays priced sellers through payment channels (the caller owns and closes it; several buyers
     * in one JVM may share one ledger, each with its own channel file).
     */
    public Builder payments(org.openshard.buyer.payments.BuyerPayments p) {
      payments = p;
      return this;
    }

    /** A registry's gRPC target, {@code host:port}. Several may be given (failover order). */
    public Builder registry(String target) {
      registries.add(Objects.requireNonNull(target, "target"));
      return this;
    }

    public Builder credentialFile(Path file) {
      credentialFile = file;
      return this;
    }

    public Builder options(BuyerOptions o) {
      options = Objects.requireNonNull(o);
      return this;
    }

    public Builder listen(ListenAddress a) {
      listen = Objects.requireNonNull(a);
      return this;
    }

    public Builder metrics(ListenAddress a) {
      metrics = a;
      return this;
    }

    public Builder readyTimeout(Duration d) {
      readyTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder announce(boolean v) {
      announce = v;
      return this;
    }

    public BuyerConfig build() {
      return new BuyerConfig(this);
    }
  }
}
