package dev.graphgate.server.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a webhook may be sent (nango-api.md §5.4, the server policy): http or https with a host and no user info; not
 * Nango's own servers; not a denylisted host name; and no address that is loopback, unspecified, private
 * ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code 100.64/10}, {@code fc00::/7}, Teredo, NAT64-local) or
 * link-local, with IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4) judged by its IPv4. With
 * {@code allowPrivate} (tests, a receiver on the same network) loopback, private and link-local are allowed; the
 * unspecified address and the cloud metadata endpoints never are.
 *
 * <p>{@link #problem} checks the text only (no DNS), for settings and connect sessions; {@link #problemAtSend} also
 * resolves the host and checks every address, just before each attempt. The JDK client then resolves the name again,
 * so a name whose DNS answer changes between the two (rebinding) is not fully defeated; the window is one attempt.
 */
public final class WebhookUrlPolicy {
  public static final int MAX_URL_LENGTH = 2048;
  private static final Set<String> ALWAYS_DENIED = Set.of("169.254.169.254", "metadata.google.internal", "::ffff:169.254.169.254");
  private static final Set<String> DENIED_UNLESS_PRIVATE = Set.of("localhost", "127.0.0.1", "::1", "::ffff:127.0.0.1");
  private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

  private final boolean allowPrivate;

  public WebhookUrlPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Why {@code url} may not be a destination, from its text alone; empty when it may. Never repeats the URL. */
  public Optional<String> problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("it is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (url.length() > MAX_URL_LENGTH) {
      return Optional.of("it is longer than " + MAX_URL_LENGTH + " characters");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("only http and https URLs are allowed");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("it has no host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("it carries user info; put credentials elsewhere");
    }
    String host = normalHost(uri.getHost());
    if (host.equals("nango.dev") || host.endsWith(".nango.dev")) {
      return Optional.of("it points at Nango's own servers; use your app's URL");
    }
    if (ALWAYS_DENIED.contains(host)) {
      return Optional.of("the host " + host + " is a cloud metadata endpoint");
    }
    if (!allowPrivate && DENIED_UNLESS_PRIVATE.contains(host)) {
      return Optional.of("the host " + host + " is this machine");
    }
    if (isLiteral(host)) {
      try {
        return judge(InetAddress.getByName(host), host);
      } catch (UnknownHostException e) {
        return Optional.of("the host " + host + " is not a valid address");
      }
    }
    return Optional.empty();
  }

  /** {@link #problem}, then every address the host resolves to; a host that does not resolve is a problem too. */
  public Optional<String> problemAtSend(URI uri) {
    Optional<String> p = problem(uri.toString());
    if (p.isPresent()) {
      return p;
    }
    String host = normalHost(uri.getHost());
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        Optional<String> bad = judge(a, host);
        if (bad.isPresent()) {
          return bad;
        }
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("the host " + host + " could not be resolved");
    }
  }

  private Optional<String> judge(InetAddress a, String host) {
    byte[] b = embeddedIpv4(a);
    if (b == null) {
      byte[] v6 = a.getAddress();
      if (a.isAnyLocalAddress()) {
        return Optional.of("the host " + host + " is the unspecified address");
      }
      if (a.isLoopbackAddress()) {
        return allowPrivate ? Optional.empty() : Optional.of("the host " + host + " is a loopback address");
      }
      int first = v6[0] & 0xff;
      boolean uniqueLocal = (first & 0xfe) == 0xfc;
      boolean teredo = first == 0x20 && v6[1] == 0x01 && v6[2] == 0 && v6[3] == 0;
      boolean nat64Local = first == 0x00 && (v6[1] & 0xff) == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b
          && v6[4] == 0 && v6[5] == 0x01;
      boolean linkLocal = first == 0xfe && (v6[1] & 0xc0) == 0x80;
      if ((uniqueLocal || teredo || nat64Local || linkLocal) && !allowPrivate) {
        return Optional.of("the host " + host + " is a private or link-local address");
      }
      return Optional.empty();
    }
    int o1 = b[0] & 0xff;
    int o2 = b[1] & 0xff;
    if (o1 == 0) {
      return Optional.of("the host " + host + " is the unspecified address");
    }
    if (o1 == 169 && o2 == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) {
      return Optional.of("the host " + host + " is a cloud metadata endpoint");
    }
    if (o1 >= 224) {
      return Optional.of("the host " + host + " is a multicast or reserved address");
    }
    boolean loopback = o1 == 127;
    boolean priv = o1 == 10 || (o1 == 172 && o2 >= 16 && o2 <= 31) || (o1 == 192 && o2 == 168) || (o1 == 100 && o2 >= 64 && o2 <= 127);
    boolean linkLocal = o1 == 169 && o2 == 254;
    if ((loopback || priv || linkLocal) && !allowPrivate) {
      return Optional.of("the host " + host + " is a " + (loopback ? "loopback" : "private or link-local") + " address");
    }
    return Optional.empty();
  }

  /** The IPv4 address {@code a} is or embeds (mapped, compatible, NAT64 {@code 64:ff9b::/96}, 6to4); null for other IPv6. */
  private static byte[] embeddedIpv4(InetAddress a) {
    if (a instanceof Inet4Address) {
      return a.getAddress();
    }
    if (!(a instanceof Inet6Address)) {
      return null;
    }
    byte[] v6 = a.getAddress();
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= v6[i] == 0;
    }
    boolean mapped = zeroPrefix && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    boolean compatible = zeroPrefix && v6[10] == 0 && v6[11] == 0 && !(v6[12] == 0 && v6[13] == 0 && v6[14] == 0 && (v6[15] & 0xfe) == 0);
    boolean nat64 = v6[0] == 0 && (v6[1] & 0xff) == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = v6[i] == 0;
    }
    if (mapped || compatible || nat64) {
      return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }
    if (v6[0] == 0x20 && v6[1] == 0x02) {
      return new byte[] {v6[2], v6[3], v6[4], v6[5]};
    }
    return null;
  }

  private static boolean isLiteral(String host) {
    return host.contains(":") || IPV4_LITERAL.matcher(host).matches();
  }

  /** Lower case, brackets and trailing dots removed, as Nango compares host names. */
  static String normalHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }
}
