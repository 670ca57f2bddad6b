package dev.graphgate.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** The outbound rule every Microsoft-facing URL obeys: https, or plain http only to this machine (the emulator). */
public final class OutboundUrls {
  private OutboundUrls() {}

  public static boolean isAllowed(URI uri) {
    if (uri == null || uri.getHost() == null) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "https" -> true;
      case "http" -> isLoopback(uri.getHost());
      default -> false;
    };
  }

  /** Loopback by name or literal only; no DNS lookup, so a name that resolves to 127.0.0.1 elsewhere is not trusted. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
