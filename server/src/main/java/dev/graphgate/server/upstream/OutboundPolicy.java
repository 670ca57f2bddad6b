package dev.graphgate.server.upstream;

import dev.graphgate.server.GraphgateException.BaseUrlOverrideNotAllowed;
import dev.graphgate.server.config.CloudConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the proxy may send a request, decided before anything is sent. The default target is the cloud's Microsoft
 * Graph host. A {@code Base-Url-Override} may name another Microsoft resource host of the same cloud (SharePoint
 * Online, Exchange Online, Azure Resource Manager; see {@link ResourceHosts}) or an origin the operator allowed; the
 * call then carries a token for that resource's {@code /.default} scope.
 *
 * <p>Refused, with {@code base_url_override_not_allowed}: any other host; a scheme other than https (plain http only to
 * this machine, for the emulator); user info, a query or a fragment in the override; an absolute URL, {@code .} or
 * {@code ..} segments, backslashes or control characters smuggled into the path; and a redirect to a host that is not
 * allowed. Messages name the host, never the URL (it may carry credentials).
 */
public final class OutboundPolicy {
  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private final CloudConfig cloud;
  private final URI graphBase;
  private final String graphOrigin;
  private final ResourceHosts resourceHosts;
  private final Set<String> extraOrigins;

  public OutboundPolicy(CloudConfig cloud, List<URI> extraAllowedOrigins) {
    this.cloud = cloud;
    this.graphBase = cloud.graphUrl();
    this.graphOrigin = origin(graphBase);
    this.resourceHosts = ResourceHosts.of(cloud);
    Set<String> extras = new LinkedHashSet<>();
    extraAllowedOrigins.forEach(u -> extras.add(origin(u)));
    this.extraOrigins = Set.copyOf(extras);
  }

  /** The first target of a proxied call: Graph, or the override's host, with the path and query as received. */
  public Target resolve(Optional<String> baseUrlOverride, String rawPath, Optional<String> rawQuery) {
    URI base;
    Optional<String> scope;
    boolean graph;
    if (baseUrlOverride.isEmpty()) {
      base = graphBase;
      scope = Optional.empty();
      graph = true;
    } else {
      base = parseOverride(baseUrlOverride.get());
      String origin = origin(base);
      if (origin.equals(graphOrigin)) {
        scope = Optional.empty();
        graph = true;
      } else {
        scope = Optional.of(allowedResource(base, "Base-Url-Override"));
        graph = false;
      }
    }
    String path = stripLeadingBase(rawPath, base);
    checkPath(path);
    String basePath = trimTrailingSlash(base.getRawPath() == null ? "" : base.getRawPath());
    URI uri = build(origin(base), basePath + path, rawQuery.map(OutboundPolicy::escape));
    return new Target(uri, origin(base), scope, true, graph);
  }

  /**
   * The next hop of a redirect from {@code from}, checked like a first target. The token follows only to the same
   * origin; another allowed Microsoft host gets no token (its links are pre-authenticated).
   */
  public Target redirect(Target from, String location) {
    URI next;
    try {
      next = from.uri().resolve(new URI(escape(location.trim())));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new BaseUrlOverrideNotAllowed("the upstream redirected to an unreadable location");
    }
    if (next.getHost() == null || next.getScheme() == null) {
      throw new BaseUrlOverrideNotAllowed("the upstream redirected to a location without a host");
    }
    if (next.getRawUserInfo() != null) {
      throw new BaseUrlOverrideNotAllowed("the upstream redirected to a URL with user info");
    }
    checkPath(next.getRawPath() == null ? "/" : next.getRawPath());
    String origin = origin(next);
    if (origin.equals(from.origin())) {
      return new Target(next, origin, from.scope(), from.bearer(), from.graph());
    }
    if (!origin.equals(graphOrigin)) {
      allowedResource(next, "the redirect");
    }
    return new Target(next, origin, Optional.empty(), false, origin.equals(graphOrigin));
  }

  private URI parseOverride(String value) {
    URI u;
    try {
      u = new URI(value);
    } catch (URISyntaxException e) {
      throw new BaseUrlOverrideNotAllowed("the Base-Url-Override is not a URL; use an origin such as https://contoso.sharepoint.com");
    }
    if (u.getScheme() == null || u.getRawAuthority() == null) {
      throw new BaseUrlOverrideNotAllowed("the Base-Url-Override must be an absolute URL such as https://contoso.sharepoint.com");
    }
    if (u.getRawUserInfo() != null) {
      throw new BaseUrlOverrideNotAllowed("the Base-Url-Override carries user info, which is never sent");
    }
    if (u.getHost() == null) {
      throw new BaseUrlOverrideNotAllowed("the Base-Url-Override has no host name");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new BaseUrlOverrideNotAllowed("the Base-Url-Override must not have a query or fragment; put them in the proxied path");
    }
    checkPath(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
    return u;
  }

  /** The {@code /.default} scope of an allowed resource, or a refusal naming the host. */
  private String allowedResource(URI u, String what) {
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    String host = normalHost(u.getHost());
    String origin = origin(u);
    if (extraOrigins.contains(origin)) {
      return origin + "/.default";
    }
    if (!scheme.equals("https")) {
      throw new BaseUrlOverrideNotAllowed(what + " uses " + scheme + "; only https is allowed (plain http only to this machine's allowed origins)");
    }
    if (u.getPort() != -1 && u.getPort() != 443) {
      throw new BaseUrlOverrideNotAllowed(what + " names port " + u.getPort() + " of " + host + "; Microsoft resource hosts are reached on 443");
    }
    if (!resourceHosts.allows(host, HOST_LABEL)) {
      throw new BaseUrlOverrideNotAllowed(what + " names " + host + ", which is not a Microsoft resource host of the " + cloud.name()
          + " cloud (allowed: " + graphOrigin + ", " + resourceHosts.describe() + (extraOrigins.isEmpty() ? "" : ", " + String.join(", ", extraOrigins))
          + "; more with GRAPHGATE_PROXY_ALLOWED_ORIGINS)");
    }
    return "https://" + host + "/.default";
  }

  /** Nango strips a leading copy of the base URL from the endpoint: {@code /https://graph.microsoft.com/v1.0/users}. */
  private static String stripLeadingBase(String rawPath, URI base) {
    String b = trimTrailingSlash(base.toString());
    for (String candidate : new String[] {"/" + b, b}) {
      if (rawPath.regionMatches(true, 0, candidate, 0, candidate.length())
          && (rawPath.length() == candidate.length() || rawPath.charAt(candidate.length()) == '/')) {
        String rest = rawPath.substring(candidate.length());
        return rest.isEmpty() ? "/" : rest;
      }
    }
    return rawPath;
  }

  /** Refuses what could move the request elsewhere than the path it appears to name. */
  static void checkPath(String rawPath) {
    if (!rawPath.startsWith("/")) {
      throw new BaseUrlOverrideNotAllowed("the path must start with /");
    }
    boolean escaped = false;
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == '\\') {
        throw new BaseUrlOverrideNotAllowed("backslashes are not allowed in the proxied path");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new BaseUrlOverrideNotAllowed("control characters are not allowed in the proxied path");
      }
      escaped |= c == '%';
    }
    String decoded = escaped ? decode(rawPath) : rawPath;
    if (escaped) {
      for (int i = 0; i < decoded.length(); i++) {
        char c = decoded.charAt(i);
        if (c == '\\') {
          throw new BaseUrlOverrideNotAllowed("backslashes are not allowed in the proxied path");
        }
        if (c < 0x20 || c == 0x7f) {
          throw new BaseUrlOverrideNotAllowed("control characters are not allowed in the proxied path");
        }
      }
    }
    if (decoded.startsWith("//") || decoded.contains("://")) {
      throw new BaseUrlOverrideNotAllowed("an absolute URL in the proxied path is not allowed; use Base-Url-Override for another Microsoft host");
    }
    // Segments are checked after decoding too: an upstream that decodes %2F would see ..%2F..%2F as two dot segments.
    int start = 0;
    while (start <= decoded.length()) {
      int end = decoded.indexOf('/', start);
      if (end < 0) {
        end = decoded.length();
      }
      int length = end - start;
      if ((length == 1 && decoded.charAt(start) == '.') || (length == 2 && decoded.charAt(start) == '.' && decoded.charAt(start + 1) == '.')) {
        throw new BaseUrlOverrideNotAllowed("'.' and '..' segments are not allowed in the proxied path");
      }
      start = end + 1;
    }
  }

  private static URI build(String origin, String path, Optional<String> query) {
    String s = origin + escape(path) + query.map(q -> "?" + q).orElse("");
    try {
      URI u = new URI(s);
      if (!origin(u).equals(origin) || u.getRawUserInfo() != null) {
        throw new BaseUrlOverrideNotAllowed("the proxied path would change the host");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new BaseUrlOverrideNotAllowed("the proxied path is not a valid URL path");
    }
  }

  /** {@code scheme://host[:port]}, lower case, default ports omitted. */
  public static String origin(URI u) {
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    String host = normalHost(u.getHost());
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = u.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  private static String normalHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static String trimTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Percent-decodes (no {@code +} to space: this is a path); malformed escapes are left as they are. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] out = new byte[s.length() * 3];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out[n++] = (byte) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, out, n, b.length);
        n += b.length;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * Percent-encodes what may not appear raw in a URI (space, quotes, braces, non-ASCII...), keeping valid escapes and
   * every character that is legal as it is, so a path or query that was already valid is passed on byte for byte.
   */
  static String escape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean legal = c < 128 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0
          || (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0));
      if (legal) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      int cp = s.codePointAt(i);
      for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
        b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16))).append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
      }
      if (Character.charCount(cp) == 2) {
        i++;
      }
    }
    return b == null ? s : b.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
