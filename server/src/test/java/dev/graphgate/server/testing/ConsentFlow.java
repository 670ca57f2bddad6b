package dev.graphgate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a tenant's admin does with an admin consent link, over real HTTP: open it at the emulator, press Accept or
 * Cancel on the page it renders, and follow the emulator's redirect back to Graphgate's callback. Also the checks
 * every HTML page Graphgate serves must pass.
 */
public final class ConsentFlow {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">");
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
  private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

  private ConsentFlow() {}

  /**
   * The admin consent link in a read of a connection, as Graphgate shows it: on the connection, or on a refused read's
   * payload (a read that answers the failure backoff carries none).
   */
  public static String link(ApiClient.Response r) {
    JsonNode connection = r.status() == 200 ? r.json() : r.json().path("error").path("payload").path("connection");
    String link = connection.path("admin_consent_url").asText("");
    assertThat(link).as(r.body()).isNotBlank();
    return link;
  }

  /**
   * Opens {@code link} (Entra's admin consent page, served by the emulator), presses the page's {@code decision}
   * button ({@code accept} or {@code cancel}) and answers where the emulator redirects the browser: Graphgate's
   * callback with Entra's answer in the query.
   */
  public static URI press(String link, String decision) {
    return press(link, decision, Map.of());
  }

  /**
   * As {@link #press(String, String)}, with the page's other fields set as an admin sets them: {@code tenant} picks the
   * organization on a link made for {@code organizations}.
   */
  public static URI press(String link, String decision, Map<String, String> chosen) {
    HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(link)).GET());
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher form = FORM.matcher(page.body());
    assertThat(form.find()).as("the consent page has a form: " + page.body()).isTrue();
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher hidden = HIDDEN.matcher(page.body());
    while (hidden.find()) {
      fields.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
    }
    fields.putAll(chosen);
    fields.put("decision", decision);
    URI action = URI.create(link).resolve(unescape(form.group(1)));
    HttpResponse<String> answer = send(HttpRequest.newBuilder(action)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
    return URI.create(answer.headers().firstValue("Location").orElseThrow());
  }

  /** Entra's answer (the redirect's query) sent to {@code server}'s callback instead of the one the link named. */
  public static URI sameAnswerTo(URI redirect, URI server) {
    return URI.create(server + redirect.getRawPath() + "?" + redirect.getRawQuery());
  }

  /** A browser's GET: no API key. */
  public static ApiClient.Response open(URI url) {
    return new ApiClient(url, null).send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET());
  }

  public static String queryParam(String url, String name) {
    String query = URI.create(url).getRawQuery();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  public static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /**
   * The headers every HTML page of Graphgate sends: a Content-Security-Policy that allows nothing but the page's own
   * stylesheet (by its hash), no framing, no sniffing, no referrer, no caching.
   */
  public static void assertHtmlHeaders(ApiClient.Response page) {
    assertThat(page.header("Content-Type")).matches("text/html;\\s*charset=utf-8");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp).as("Content-Security-Policy").isNotNull()
        .contains("default-src 'none'").contains("frame-ancestors 'none'").contains("base-uri 'none'").contains("form-action 'none'")
        .doesNotContain("unsafe-inline").doesNotContain("*");
    Matcher style = STYLE.matcher(page.body());
    assertThat(style.find()).as("the page's stylesheet").isTrue();
    assertThat(csp).contains("style-src 'sha256-" + sha256(style.group(1)) + "'");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
