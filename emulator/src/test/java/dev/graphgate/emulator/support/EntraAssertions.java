package dev.graphgate.emulator.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** What every Entra error answer must look like (shared/reference/microsoft.md section 1.4). */
public final class EntraAssertions {

  private static final String GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z";

  private EntraAssertions() {}

  /** Asserts status, {@code error}, the AADSTS code and the whole shape; returns the description's first line. */
  public static String assertEntraError(Http.Response response, int status, String error, int code) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertThat(response.header("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    assertThat(response.header("Cache-Control")).hasValue("no-store, no-cache");
    JsonNode body = response.json();
    assertThat(body.path("error").asText()).as("error of %s", response).isEqualTo(error);
    assertThat(body.path("error_codes").isArray()).isTrue();
    assertThat(body.path("error_codes").get(0).asInt()).as("AADSTS code of %s", response).isEqualTo(code);
    String description = body.path("error_description").asText();
    assertThat(description)
        .startsWith("AADSTS" + code + ": ")
        .matches("(?s).*\\r\\nTrace ID: " + GUID + "\\r\\nCorrelation ID: " + GUID + "\\r\\nTimestamp: " + TIMESTAMP);
    assertThat(body.path("timestamp").asText()).matches(TIMESTAMP);
    assertThat(body.path("trace_id").asText()).matches(GUID);
    assertThat(body.path("correlation_id").asText()).matches(GUID);
    assertThat(body.path("error_uri").asText()).endsWith("/error?code=" + code);
    assertThat(description).contains("Trace ID: " + body.path("trace_id").asText());
    return description.substring(0, description.indexOf("\r\n"));
  }
}
