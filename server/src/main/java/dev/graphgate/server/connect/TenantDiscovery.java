package dev.graphgate.server.connect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.config.OutboundUrls;
import dev.graphgate.server.entra.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Which tenant GUID a tenant domain names, as Entra says: the {@code issuer} of the domain's OpenID Connect metadata
 * ({@code GET <login>/<domain>/v2.0/.well-known/openid-configuration}) is {@code <login>/<tenant GUID>/v2.0}. A read of
 * public metadata, no credentials; asked only when an admin consent answer must be matched to a link that named its
 * tenant by domain.
 */
final class TenantDiscovery {
  /** What Entra said about a domain. */
  sealed interface Result {
    record Found(String tenantGuid) implements Result {}

    /** Entra knows no tenant by that name (it answered 4xx). */
    record NotFound() implements Result {}

    record Unavailable(String reason) implements Result {}
  }

  private final CloudConfig cloud;
  private final HttpClient http;
  private final Duration timeout;

  TenantDiscovery(CloudConfig cloud, HttpClient http, Duration timeout) {
    this.cloud = cloud;
    this.http = http;
    this.timeout = timeout;
  }

  Result guidOf(TenantId domain) {
    // The tenant id passed TenantId's rules: a DNS name, so it cannot change the URL's host or path.
    URI url = URI.create(cloud.loginUrl() + "/" + domain.value() + "/v2.0/.well-known/openid-configuration");
    if (!OutboundUrls.isAllowed(url)) {
      return new Result.Unavailable("the login URL is not allowed");
    }
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Result.Unavailable("Entra's OpenID metadata could not be read (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Unavailable("interrupted");
    }
    if (response.statusCode() == 429 || response.statusCode() >= 500) {
      return new Result.Unavailable("Entra answered HTTP " + response.statusCode());
    }
    if (response.statusCode() != 200) {
      return new Result.NotFound();
    }
    return guidInIssuer(response.body());
  }

  private static Result guidInIssuer(String body) {
    try {
      JsonNode issuer = Json.MAPPER.readTree(body).path("issuer");
      String[] segments = URI.create(issuer.asText("")).getPath().split("/");
      // "/<tenant>/v2.0": segments are "", "<tenant>", "v2.0"
      if (segments.length >= 2) {
        TenantId tenant = TenantId.parse(segments[1]);
        if (tenant.isGuid()) {
          return new Result.Found(tenant.value());
        }
      }
      return new Result.Unavailable("Entra's OpenID metadata names no tenant GUID in its issuer");
    } catch (IOException | RuntimeException e) {
      return new Result.Unavailable("Entra's OpenID metadata could not be read");
    }
  }
}
