package org.openshard.runtime;

import java.io.PrintStream;

/**
 * Prints the command-line contract's readiness line, {@code LISTENING <role> <scheme>://<host>:<port>},
 * once a listener accepts connections. Scripts and tests wait for it.
 */
public final class Listening {
  private static final PrintStream OUT = System.out;

  private Listening() {}

  public static synchronized void announce(String role, String scheme, String host, int port) {
    OUT.println("LISTENING " + role + " " + scheme + "://" + ListenAddress.format(host, port));
    OUT.flush();
  }
}
