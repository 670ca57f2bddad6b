package dev.graphgate.server.proxy;

import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.connection.ConnectionKey;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.upstream.HttpRetryRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One call to {@code /proxy/{anyPath}}, as Nango's contract defines it: which connection, how to retry, where to send
 * it, and the headers that go with it. {@link #parse} checks every control header at once and refuses the request with
 * {@code invalid_headers} listing each problem.
 *
 * @param method upper case
 * @param rawPath everything after {@code /proxy}, exactly as received (still percent-encoded), starting with {@code /}
 * @param rawQuery the query string exactly as received, without {@code ?}
 * @param retries the {@code Retries} header; empty means the configured default
 * @param retryOn statuses from {@code Retry-On} that are retried for every method: error statuses (400 to 599) only
 * @param baseUrlOverride the {@code Base-Url-Override} header; empty when absent or empty
 * @param decompress {@code Decompress: true}: the body comes back decoded, whatever the upstream encoding
 * @param forwardHeadersOnRedirect {@code Forward-Headers-On-Redirect: true}: the forwarded headers follow redirects
 *     to another Microsoft host too (the token never does)
 * @param rewriteLinks {@code Graphgate-Rewrite-Links: true}: {@code @odata.nextLink} and {@code @odata.deltaLink}
 *     pointing at Graph are rewritten to point back through the proxy (for SDK page iterators)
 * @param forwarded the headers sent upstream, lower-case names, {@code Nango-Proxy-*} ones already unprefixed and
 *     overriding pass-through ones
 */
public record ProxyRequest(
    String method,
    String rawPath,
    Optional<String> rawQuery,
    ConnectionKey connection,
    OptionalInt retries,
    Set<Integer> retryOn,
    Optional<String> baseUrlOverride,
    boolean decompress,
    boolean forwardHeadersOnRedirect,
    boolean rewriteLinks,
    Map<String, List<String>> forwarded) {

  public static final String REWRITE_LINKS = "Graphgate-Rewrite-Links";
  private static final Pattern RETRY_ON = Pattern.compile("\\d{1,3}(,\\d{1,3})*");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

  public ProxyRequest {
    Objects.requireNonNull(method);
    Objects.requireNonNull(rawPath);
    retryOn = Set.copyOf(retryOn);
    forwarded = java.util.Collections.unmodifiableMap(forwarded);
  }

  /**
   * Reads Nango's proxy headers. Throws {@link InvalidRequest} ({@code invalid_headers}) naming every header at fault.
   */
  public static ProxyRequest parse(String method, String rawPath, String rawQuery, RequestHeaders headers) {
    List<FieldError> errors = new ArrayList<>();
    String connectionId = required(headers, "Connection-Id", errors);
    if (connectionId != null && !validConnectionId(connectionId)) {
      errors.add(invalid("Connection-Id", "Invalid connection id: use 1 to 255 letters, digits or ,.;:=+~[]|@${}\"'\\/_ -"));
    }
    String key = required(headers, "Provider-Config-Key", errors);
    if (key != null && !validKey(key)) {
      errors.add(invalid("Provider-Config-Key", "Invalid integration key: use 1 to 255 letters, digits or ~:.@ _-"));
    }
    OptionalInt retries = OptionalInt.empty();
    Optional<String> retriesValue = headers.first("Retries").map(String::trim);
    if (retriesValue.isPresent()) {
      if (DIGITS.matcher(retriesValue.get()).matches() && Integer.parseInt(retriesValue.get()) <= ProxyConfig.MAX_RETRIES) {
        retries = OptionalInt.of(Integer.parseInt(retriesValue.get()));
      } else {
        errors.add(invalid("Retries", "Expected a whole number of additional attempts from 0 to " + ProxyConfig.MAX_RETRIES));
      }
    }
    Set<Integer> retryOn = new LinkedHashSet<>();
    Optional<String> retryOnValue = headers.first("Retry-On").map(s -> s.replace(" ", ""));
    if (retryOnValue.isPresent() && !retryOnValue.get().isEmpty()) {
      if (RETRY_ON.matcher(retryOnValue.get()).matches()) {
        for (String s : retryOnValue.get().split(",")) {
          int status = Integer.parseInt(s);
          // Only an error may be sent again: retrying a 2xx would repeat a POST that succeeded.
          if (!HttpRetryRules.isRetryableStatus(status)) {
            errors.add(invalid("Retry-On", "Expected error statuses from " + HttpRetryRules.MIN_RETRY_ON + " to " + HttpRetryRules.MAX_RETRY_ON
                + ", got " + status));
          }
          retryOn.add(status);
        }
      } else {
        errors.add(invalid("Retry-On", "Expected comma-separated HTTP statuses, such as 500,502"));
      }
    }
    Optional<String> override = headers.first("Base-Url-Override").map(String::trim).filter(s -> !s.isEmpty());
    boolean decompress = bool(headers, "Decompress", errors);
    boolean forwardOnRedirect = bool(headers, "Forward-Headers-On-Redirect", errors);
    boolean rewriteLinks = bool(headers, REWRITE_LINKS, errors);
    bool(headers, "Nango-Is-Sync", errors);
    bool(headers, "Nango-Is-Dry-Run", errors);
    if (headers.first("Nango-Activity-Log-Id").map(String::length).orElse(0) > 255) {
      errors.add(invalid("Nango-Activity-Log-Id", "At most 255 characters"));
    }
    Map<String, List<String>> forwarded = forwardedHeaders(headers);
    if (!errors.isEmpty()) {
      throw InvalidRequest.headers("Invalid proxy headers: " + String.join(", ",
          errors.stream().map(e -> String.valueOf(e.path().get(0))).distinct().toList()), errors);
    }
    return new ProxyRequest(method.toUpperCase(Locale.ROOT), rawPath.isEmpty() ? "/" : rawPath,
        Optional.ofNullable(rawQuery).filter(q -> !q.isEmpty()), new ConnectionKey(key, connectionId), retries, retryOn,
        override, decompress, forwardOnRedirect, rewriteLinks, forwarded);
  }

  /** Pass-through headers first, then {@code Nango-Proxy-*} ones, which replace a pass-through header of the same name. */
  private static Map<String, List<String>> forwardedHeaders(RequestHeaders headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Map<String, List<String>> prefixed = null;
    for (String name : headers.names()) {
      if (HeaderRules.CONTROL.contains(name)) {
        continue;
      }
      if (HeaderRules.nangoProxy(name)) {
        String target = name.substring(HeaderRules.NANGO_PROXY_PREFIX.length()).toLowerCase(Locale.ROOT);
        if (HeaderRules.settableUpstream(target)) {
          if (prefixed == null) {
            prefixed = new LinkedHashMap<>();
          }
          prefixed.merge(target, headers.values(name), ProxyRequest::concat);
        }
      } else if (HeaderRules.passesThrough(name)) {
        out.merge(name.toLowerCase(Locale.ROOT), headers.values(name), ProxyRequest::concat);
      }
    }
    if (prefixed != null) {
      out.putAll(prefixed);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Nango's connection id rule ({@link ConnectionKey#CONNECTION_ID}) as a character scan: no regex per request. */
  static boolean validConnectionId(String s) {
    return allowed(s, CONNECTION_ID_CHARS);
  }

  /** The integration key rule ({@link IntegrationService#KEY}) as a character scan. */
  static boolean validKey(String s) {
    return allowed(s, KEY_CHARS);
  }

  private static final boolean[] CONNECTION_ID_CHARS = ascii(",.;:=+~[]|@${}\"'\\/_ -");
  private static final boolean[] KEY_CHARS = ascii("~:.@ _-");

  private static boolean[] ascii(String extra) {
    boolean[] ok = new boolean[128];
    for (char c = 'a'; c <= 'z'; c++) {
      ok[c] = true;
      ok[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ok[c] = true;
    }
    extra.chars().forEach(c -> ok[c] = true);
    return ok;
  }

  private static boolean allowed(String s, boolean[] ok) {
    if (s.isEmpty() || s.length() > 255) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || !ok[c]) {
        return false;
      }
    }
    return true;
  }

  private static String required(RequestHeaders headers, String name, List<FieldError> errors) {
    Optional<String> v = headers.first(name).map(String::trim);
    if (v.isEmpty() || v.get().isEmpty()) {
      errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received undefined", List.of(name.toLowerCase(Locale.ROOT))));
      return null;
    }
    return v.get();
  }

  private static boolean bool(RequestHeaders headers, String name, List<FieldError> errors) {
    Optional<String> v = headers.first(name).map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (v.isEmpty() || v.get().isEmpty() || v.get().equals("false")) {
      return false;
    }
    if (v.get().equals("true")) {
      return true;
    }
    errors.add(new FieldError(FieldError.Kind.INVALID_ENUM_VALUE, "Expected 'true' or 'false'", List.of(name.toLowerCase(Locale.ROOT))));
    return false;
  }

  private static FieldError invalid(String header, String message) {
    return new FieldError(FieldError.Kind.INVALID_STRING, message, List.of(header.toLowerCase(Locale.ROOT)));
  }
}
