package org.openshard.bridge.e2ee;

/** Read access to request headers (names are lowercase); null when absent. */
@FunctionalInterface
public interface HeaderView {
  String get(String lowercaseName);
}
