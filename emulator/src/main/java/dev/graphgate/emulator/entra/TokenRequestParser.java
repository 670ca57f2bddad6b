package dev.graphgate.emulator.entra;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP request to {@link TokenRequest}. A body that is not a form (JSON, XML, no content type) carries no parameters,
 * as Entra reads it, so the caller is told the first parameter missing ({@code grant_type}).
 */
final class TokenRequestParser {

  private TokenRequestParser() {}

  static TokenRequest parse(Context ctx) {
    FormBody form = isForm(ctx.contentType()) ? FormBody.parse(body(ctx)) : FormBody.empty();
    Optional<BasicCredentials> basic = BasicCredentials.from(ctx.header("Authorization"));
    Optional<String> clientId = form.single("client_id").or(() -> basic.map(BasicCredentials::clientId));
    // client_secret_post wins over client_secret_basic; a Basic secret is checked against the client_id in use.
    Optional<String> secret = form.single("client_secret").or(() -> basic.map(BasicCredentials::secret));
    return new TokenRequest(
        form.single("grant_type"),
        clientId,
        form.single("scope"),
        form.single("resource"),
        secret,
        form.single("client_assertion_type"),
        form.single("client_assertion"));
  }

  static boolean isForm(String contentType) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded");
  }

  static String body(Context ctx) {
    try {
      return new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
    } catch (HttpResponseException e) {
      // Javalin refuses bodies over the listener's limit; say so in Entra's shape.
      throw EntraError.MALFORMED_REQUEST.with("The request body is larger than the emulator accepts.");
    }
  }

  /** RFC 6749 section 2.3.1: {@code Basic base64(urlencode(client_id) ":" urlencode(secret))}. */
  record BasicCredentials(String clientId, String secret) {
    static Optional<BasicCredentials> from(String header) {
      if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
        return Optional.empty();
      }
      try {
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
          return Optional.empty();
        }
        String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        return id.isBlank() || secret.isBlank() ? Optional.empty() : Optional.of(new BasicCredentials(id, secret));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    @Override
    public String toString() {
      return "BasicCredentials[clientId=" + clientId + ", secret=(given)]";
    }
  }
}
