package org.openshard.registry.validation;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.openshard.registry.RegistryException;

/**
 * REG-6: a seller endpoint is {@code host:port} or {@code [IPv6]:port}: no scheme, path, user info,
 * spaces or zone ids; host a DNS name (labels 1..63 of [A-Za-z0-9-], not starting or ending with
 * '-', 253 characters at most) or dotted IPv4; port 1..65535; 255 characters at most. Never resolves
 * names.
 */
public final class EndpointRule {
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private EndpointRule() {}

  public static void check(String endpoint, String field) throws RegistryException {
    if (endpoint == null || endpoint.isEmpty()) {
      throw RegistryException.invalid(field, "endpoint is required (host:port)");
    }
    if (endpoint.length() > Limits.MAX_ENDPOINT_CHARS) {
      throw RegistryException.limit(field, "endpoint is longer than " + Limits.MAX_ENDPOINT_CHARS + " characters");
    }
    for (int i = 0; i < endpoint.length(); i++) {
      char c = endpoint.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw RegistryException.invalid(field, "endpoint contains spaces or non-ASCII characters");
      }
      if (c == '/' || c == '@' || c == '?' || c == '#' || c == '%') {
        throw RegistryException.invalid(
            field, "endpoint must be host:port without scheme, path, user info or zone id, was " + Identifiers.quote(endpoint));
      }
    }
    String host;
    String port;
    if (endpoint.charAt(0) == '[') {
      int close = endpoint.indexOf(']');
      if (close < 0 || close + 1 >= endpoint.length() || endpoint.charAt(close + 1) != ':') {
        throw RegistryException.invalid(field, "IPv6 endpoint must be [address]:port");
      }
      host = endpoint.substring(1, close);
      port = endpoint.substring(close + 2);
      checkIpv6(host, field);
    } else {
      int colon = endpoint.indexOf(':');
      if (colon < 0 || colon != endpoint.lastIndexOf(':')) {
        throw RegistryException.invalid(
            field, "endpoint must be host:port (write IPv6 addresses in brackets), was " + Identifiers.quote(endpoint));
      }
      host = endpoint.substring(0, colon);
      port = endpoint.substring(colon + 1);
      checkHostName(host, field);
    }
    if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw RegistryException.invalid(field, "endpoint port must be 1..65535");
    }
  }

  private static void checkHostName(String host, String field) throws RegistryException {
    if (host.isEmpty() || host.length() > 253) {
      throw RegistryException.invalid(field, "endpoint host must be 1..253 characters");
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw RegistryException.invalid(field, "endpoint host is not a valid DNS name or IPv4 address");
      }
    }
  }

  private static void checkIpv6(String host, String field) throws RegistryException {
    if (!IPV6_CHARS.matcher(host).matches() || host.indexOf(':') < 0) {
      throw RegistryException.invalid(field, "endpoint IPv6 address is malformed");
    }
    try {
      // A literal containing ':' is parsed, never looked up.
      if (!(InetAddress.getByName(host) instanceof Inet6Address)) {
        throw RegistryException.invalid(field, "endpoint IPv6 address is malformed");
      }
    } catch (UnknownHostException | RuntimeException e) {
      throw RegistryException.invalid(field, "endpoint IPv6 address is malformed");
    }
  }
}
