package org.openshard.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code HOST:PORT} to listen on ({@code [v6]:PORT} for IPv6). Port 0 means any free port. Hosts
 * default to loopback: servers bind loopback unless told otherwise.
 */
public final class ListenAddress {
  public static final String LOOPBACK = "127.0.0.1";

  private final String host;
  private final int port;

  private ListenAddress(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public static ListenAddress of(String host, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    return new ListenAddress(host == null || host.isEmpty() ? LOOPBACK : host, port);
  }

  public static ListenAddress loopback(int port) {
    return of(LOOPBACK, port);
  }

  /**
   * Parses {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code :PORT} / {@code PORT} (loopback).
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static ListenAddress parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("listen address is empty; expected HOST:PORT, e.g. 127.0.0.1:0");
    }
    String t = s.trim();
    String host;
    String portText;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("bad address '" + s + "'; expected [IPv6]:PORT");
      }
      host = t.substring(1, close);
      portText = t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      if (colon < 0) {
        host = LOOPBACK;
        portText = t;
      } else {
        if (t.indexOf(':') != colon) {
          throw new IllegalArgumentException("bad address '" + s + "'; write IPv6 hosts in brackets: [::1]:PORT");
        }
        host = colon == 0 ? LOOPBACK : t.substring(0, colon);
        portText = t.substring(colon + 1);
      }
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + s + "'; expected a number 0..65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("bad port in '" + s + "'; expected 0..65535");
    }
    return new ListenAddress(host, port);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public InetSocketAddress toSocketAddress() {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve listen host '" + host + "'", e);
    }
  }

  /** True if the host is a loopback address (127.0.0.0/8, ::1, localhost). */
  public boolean isLoopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** {@code host:port} with IPv6 hosts in brackets. */
  public static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return format(host, port);
  }
}
