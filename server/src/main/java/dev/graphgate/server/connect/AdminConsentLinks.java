package dev.graphgate.server.connect;

import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.secret.SecretBox;
import dev.graphgate.server.storage.SettingsRepository;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Links to Entra's admin consent page, where a tenant's admin grants the app's permissions, coming back to
 * Graphgate's {@value #CALLBACK}. Built when a connection is shown or an error is answered, never stored: a stored
 * status message says "send them to the admin consent link", and the API adds the link itself. Each link carries a
 * new {@code state} ({@link ConsentStates}): signed, bound to the connection, its tenant and its app (or, for a link made
 * through a connect session, to the session, the integration, the app and the tenant when known), expiring, and
 * accepted once by {@link AdminConsentCallback}. Making one writes nothing.
 */
public final class AdminConsentLinks {
  /** Where Entra sends the admin back after consent; register it as a redirect URI of the app. */
  public static final String CALLBACK = "/admin-consent/callback";
  /** Entra's alias for "the tenant of the admin who signs in", for a link made before the tenant is known. */
  static final String ORGANIZATIONS = "organizations";

  private final CloudConfig cloud;
  private final Supplier<URI> publicUrl;
  private final ConsentStates states;

  AdminConsentLinks(CloudConfig cloud, Supplier<URI> publicUrl, ConsentStates states) {
    this.cloud = cloud;
    this.publicUrl = publicUrl;
    this.states = states;
  }

  /**
   * Links whose states are signed with the database's {@link ConsentStateKey} (made on the first start) and expire
   * {@code lifetime} after they are made.
   */
  public static AdminConsentLinks create(CloudConfig cloud, Supplier<URI> publicUrl, SettingsRepository settings, SecretBox box,
      SecureRandom random, InstantSource clock, Duration lifetime) {
    return new AdminConsentLinks(cloud, publicUrl, new ConsentStates(ConsentStateKey.load(settings, box, random), clock, random, lifetime));
  }

  public URI redirectUri() {
    return URI.create(publicUrl.get() + CALLBACK);
  }

  /**
   * Entra's v2.0 admin consent endpoint for the connection's tenant, app and resource ({@code scope=<resource>/.default}
   * grants every app permission the app registration asks for), with a new state.
   */
  public String forConnection(Connection c) {
    return link(c.tenantId().value(), c.credentials().clientId(), c.scopes(), states.issue(c));
  }

  /**
   * The same page for a tenant being onboarded through connect session {@code session} (or consenting to the app the
   * end user entered): in {@code tenant} when known, else at {@code organizations}, where the admin's own tenant is
   * the one they sign in to. The state expires with the session.
   */
  String forSession(ConnectSession session, String integration, String clientId, Optional<TenantId> tenant, String scopes,
      ConsentState.Purpose purpose) {
    return link(tenant.map(TenantId::value).orElse(ORGANIZATIONS), clientId, scopes, states.issue(session, integration, clientId, tenant, purpose));
  }

  private String link(String tenantSegment, String clientId, String scopes, String state) {
    String resourceScope = Arrays.stream(scopes.split(" ")).filter(s -> s.endsWith("/.default")).findFirst().orElse(cloud.defaultScope());
    return cloud.loginUrl() + "/" + tenantSegment + "/v2.0/adminconsent?client_id=" + encode(clientId)
        + "&scope=" + encode(resourceScope) + "&redirect_uri=" + encode(redirectUri().toString()) + "&state=" + encode(state);
  }

  /** {@code message}, followed by the admin consent link when the connection's status asks the admin to act. */
  public String withLinkIfNeeded(String message, Connection c) {
    return c.health().needsAdminConsent() ? message + " Admin consent: " + forConnection(c) : message;
  }

  ConsentStates states() {
    return states;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
