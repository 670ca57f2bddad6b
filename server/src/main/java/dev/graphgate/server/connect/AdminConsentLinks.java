package dev.graphgate.server.connect;

import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.entra.TenantId;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Links to Entra's admin consent page, where a tenant's admin grants the app's permissions, coming back to
 * Graphgate's {@value #CALLBACK}. Built when a connection is shown or an error is answered, never stored: a stored
 * status message says "send them to the admin consent link", and the API adds the link itself.
 */
public final class AdminConsentLinks {
  /** Where Entra sends the admin back after consent; register it as a redirect URI of the app. */
  public static final String CALLBACK = "/admin-consent/callback";

  private final CloudConfig cloud;
  private final Supplier<URI> publicUrl;

  public AdminConsentLinks(CloudConfig cloud, Supplier<URI> publicUrl) {
    this.cloud = cloud;
    this.publicUrl = publicUrl;
  }

  public URI redirectUri() {
    return URI.create(publicUrl.get() + CALLBACK);
  }

  /** The link for a connection's tenant, app and resource. */
  public String forConnection(Connection c) {
    return url(c.tenantId(), c.credentials().clientId(), c.scopes());
  }

  /**
   * Entra's v2.0 admin consent endpoint for the connection's resource ({@code scope=<resource>/.default} grants every
   * app permission the app registration asks for).
   */
  public String url(TenantId tenant, String clientId, String scopes) {
    String resourceScope = Arrays.stream(scopes.split(" ")).filter(s -> s.endsWith("/.default")).findFirst().orElse(cloud.defaultScope());
    return cloud.loginUrl() + "/" + tenant.value() + "/v2.0/adminconsent?client_id=" + encode(clientId)
        + "&scope=" + encode(resourceScope) + "&redirect_uri=" + encode(redirectUri().toString());
  }

  /** {@code message}, followed by the admin consent link when the connection's status asks the admin to act. */
  public String withLinkIfNeeded(String message, Connection c) {
    return c.health().needsAdminConsent() ? message + " Admin consent: " + forConnection(c) : message;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
