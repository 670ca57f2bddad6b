package dev.graphgate.server.auth;

import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.entra.TenantId;
import java.net.URI;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the client-credentials request of a connection: URL from the validated tenant only, the form per credential kind. */
public final class TokenRequestFactory {
  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final CloudConfig cloud;
  private final ClientAssertionFactory assertions;
  private final InstantSource clock;

  public TokenRequestFactory(CloudConfig cloud, ClientAssertionFactory assertions, InstantSource clock) {
    this.cloud = cloud;
    this.assertions = assertions;
    this.clock = clock;
  }

  public URI tokenUrl(TenantId tenant) {
    // TenantId admits only a GUID or a DNS name, so this concatenation cannot leave the login host's /{tenant}/ path.
    return URI.create(cloud.loginUrl() + "/" + tenant.value() + "/oauth2/v2.0/token");
  }

  public TokenRequest build(Connection c) {
    return build(c, c.scopes());
  }

  /** The same request for another resource of the tenant: {@code scopes} such as {@code https://contoso.sharepoint.com/.default}. */
  public TokenRequest build(Connection c, String scopes) {
    return build(c.tenantId(), c.credentials(), scopes);
  }

  /** The request of credentials that are not a stored connection yet (a connection being created is proved first). */
  public TokenRequest build(TenantId tenant, ConnectionCredentials credentials, String scopes) {
    URI url = tokenUrl(tenant);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", credentials.clientId());
    switch (credentials) {
      case ConnectionCredentials.ClientSecret s -> form.put("client_secret", s.clientSecret().reveal());
      case ConnectionCredentials.Certificate cert -> {
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertions.create(cert, url, clock.instant()));
      }
    }
    form.put("scope", ScopeRules.validate(scopes));
    return new TokenRequest(url, form);
  }

}
