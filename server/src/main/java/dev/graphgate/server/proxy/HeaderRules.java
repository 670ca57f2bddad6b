package dev.graphgate.server.proxy;


/**
 * Which headers cross the proxy, in each direction.
 *
 * <p>Upstream: the token Graphgate holds, the {@code Nango-Proxy-<Name>} headers (as {@code <name>}, overriding
 * anything else, as Nango does), and the request headers Microsoft's APIs read to decide what to answer (content
 * type, conditional and range requests, {@code ConsistencyLevel}, {@code Prefer}, the SDK's {@code client-request-id}
 * and {@code SdkVersion}...). Never the client's {@code Authorization} (Graphgate's secret key), cookies, Nango's and
 * Graphgate's control headers, or hop-by-hop headers.
 *
 * <p>Downstream: every response header except hop-by-hop ones, the length (set from what is actually sent), cookies,
 * and headers that describe the upstream connection rather than the answer ({@code Date}, {@code Server},
 * {@code Alt-Svc}, {@code Strict-Transport-Security}, CORS).
 */
final class HeaderRules {
  static final String NANGO_PROXY_PREFIX = "nango-proxy-";

  /** Headers that steer Graphgate (Nango's contract plus Graphgate's own); read, never forwarded. */
  static final HeaderNames CONTROL = HeaderNames.of(
      "authorization", "connection-id", "provider-config-key", "retries", "retry-on", "base-url-override", "decompress",
      "forward-headers-on-redirect", "nango-activity-log-id", "nango-is-sync", "nango-is-dry-run", "nango-is-script",
      ProxyRequest.REWRITE_LINKS);

  /** Client headers forwarded as they are: what Graph, SharePoint, Exchange and ARM read from a request. */
  private static final HeaderNames PASS_THROUGH = HeaderNames.of(
      "accept", "accept-language", "accept-encoding", "content-type", "content-language", "content-range", "content-encoding",
      "range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "consistencylevel", "prefer",
      "client-request-id", "return-client-request-id", "sdkversion", "user-agent", "x-ms-throttle-priority", "x-anchormailbox",
      "retry-attempt", "cache-control", "odata-version", "odata-maxversion", "x-requestdigest", "x-http-method");

  /** Never sent upstream, not even through {@code Nango-Proxy-*}: the HTTP client owns them, or they name a hop. */
  private static final HeaderNames HOP_BY_HOP = HeaderNames.of(
      "host", "connection", "content-length", "expect", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer",
      "proxy-authorization", "proxy-authenticate", "proxy-connection", "http2-settings");

  /** Response headers not copied back. */
  private static final HeaderNames NOT_DOWNSTREAM = HeaderNames.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "content-length",
      "set-cookie", "set-cookie2", "date", "server", "alt-svc", "strict-transport-security", "proxy-authenticate");

  private HeaderRules() {}

  /** A client header forwarded unprefixed (any case). */
  static boolean passesThrough(String name) {
    return PASS_THROUGH.contains(name);
  }

  /** Is this a {@code Nango-Proxy-<name>} header (any case)? */
  static boolean nangoProxy(String name) {
    return name.length() > NANGO_PROXY_PREFIX.length() && name.regionMatches(true, 0, NANGO_PROXY_PREFIX, 0, NANGO_PROXY_PREFIX.length());
  }

  /** May this name (from {@code Nango-Proxy-<name>}) be set on the upstream request? */
  static boolean settableUpstream(String name) {
    if (name.isEmpty() || HOP_BY_HOP.contains(name)) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Is this upstream response header (any case) copied back to the client? */
  static boolean copiedDownstream(String name) {
    return !name.isEmpty() && name.charAt(0) != ':' && !NOT_DOWNSTREAM.contains(name)
        && !name.regionMatches(true, 0, "access-control-", 0, 15);
  }

  private static boolean isTokenChar(int c) {
    return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
