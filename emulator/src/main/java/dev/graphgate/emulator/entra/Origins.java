package dev.graphgate.emulator.entra;

import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * The emulator's own origin as the caller reached it ({@code https://127.0.0.1:3901}, or a name mapped to it), so
 * that documents and redirects point back at the emulator whatever name the client used.
 */
final class Origins {

  // A host name or IPv4 literal, or a bracketed IPv6 literal, with an optional port: nothing else goes into documents.
  private static final Pattern HOST_HEADER =
      Pattern.compile("^([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}])(:\\d{1,5})?$");

  private Origins() {}

  static String of(Context ctx) {
    String scheme = ctx.scheme();
    String host = ctx.header("Host");
    if (host == null || !HOST_HEADER.matcher(host).matches()) {
      host = ctx.req().getLocalAddr() + ":" + ctx.req().getLocalPort();
      if (host.indexOf(':') != host.lastIndexOf(':')) {
        host = "[" + ctx.req().getLocalAddr() + "]:" + ctx.req().getLocalPort();
      }
    }
    return scheme + "://" + host.toLowerCase(java.util.Locale.ROOT);
  }

  /** The host part of the caller's {@code Host} header, without port: what MSAL calls the authority host. */
  static String hostOf(String origin) {
    String authority = origin.substring(origin.indexOf("://") + 3);
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }
}
