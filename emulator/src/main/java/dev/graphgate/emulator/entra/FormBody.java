package dev.graphgate.emulator.entra;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body (or query string), parsed strictly: a bad percent escape or a
 * parameter sent twice is an error, as RFC 6749 section 3.2 asks ("parameters MUST NOT be included more than once").
 */
final class FormBody {

  /** Far more than any OAuth request carries; a body with more is not a token request. */
  static final int MAX_PARAMETERS = 256;

  private final Map<String, List<String>> values;

  private FormBody(Map<String, List<String>> values) {
    this.values = values;
  }

  static FormBody empty() {
    return new FormBody(Map.of());
  }

  static FormBody parse(String encoded) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return new FormBody(values);
    }
    int count = 0;
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++count > MAX_PARAMETERS) {
        throw EntraError.MALFORMED_REQUEST.with("The request has more than " + MAX_PARAMETERS + " parameters.");
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
    }
    return new FormBody(values);
  }

  /** The parameter's value when present and not blank; an error when it was sent more than once. */
  Optional<String> single(String name) {
    List<String> list = values.get(name);
    if (list == null) {
      return Optional.empty();
    }
    if (list.size() > 1) {
      throw EntraError.MALFORMED_REQUEST.with("The parameter '" + name + "' was sent " + list.size() + " times; send it once.");
    }
    String value = list.getFirst();
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw EntraError.MALFORMED_REQUEST.with(
          "The body is not valid application/x-www-form-urlencoded: a '%' must start a two-digit hex escape.");
    }
  }
}
