package dev.graphgate.emulator.support;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.CreatedApp;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.directory.Tenant;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A running emulator plus the few things every Entra test sets up: a fresh tenant, an app with a known secret, a
 * token request. Each test makes its own tenant and app, so tests sharing one emulator never see each other's state.
 */
public final class Scenario {

  public static final String GRAPH_DEFAULT = "https://graph.microsoft.com/.default";

  private final Emulator emulator;
  private final Http http;

  public Scenario(Emulator emulator, Http http) {
    this.emulator = emulator;
    this.http = http;
  }

  public Emulator emulator() {
    return emulator;
  }

  public Http http() {
    return http;
  }

  /** A tenant with a fresh {@code t<random>.onmicrosoft.com} domain. */
  public Tenant tenant() {
    String domain = "t" + UUID.randomUUID().toString().substring(0, 12) + ".onmicrosoft.com";
    return emulator.directory().createTenant(Optional.empty(), Optional.of("Tenant " + domain), List.of(domain));
  }

  /** An app registered in {@code home} (its service principal there has nothing granted) with one secret. */
  public Client app(Tenant home, String... requiredRoles) {
    return register(home, false, List.of(requiredRoles), Optional.empty(), List.of(), List.of());
  }

  /** An app in {@code home} granted {@code roles} there. */
  public Client grantedApp(Tenant home, String... roles) {
    Client client = app(home, roles);
    emulator.directory().grant(home.id(), client.appId(), List.of(roles));
    return client;
  }

  public Client register(
      Tenant home, boolean multiTenant, List<String> requiredRoles, Optional<Instant> secretExpiry,
      List<String> certificatePems, List<String> redirectUris) {
    String secret = "s3cret~" + UUID.randomUUID();
    CreatedApp created =
        emulator.directory().createApp(
            new NewApp(
                Optional.empty(),
                "Test app " + UUID.randomUUID().toString().substring(0, 6),
                multiTenant,
                Optional.ofNullable(home).map(Tenant::id),
                redirectUris,
                requiredRoles,
                List.of(new NewApp.NewSecret(Optional.of(secret), secretExpiry)),
                certificatePems,
                false));
    return new Client(created.app(), secret);
  }

  public URI tokenUri(String tenantSegment) {
    return URI.create(emulator.loginUrl() + "/" + tenantSegment + "/oauth2/v2.0/token");
  }

  public URI login(String path) {
    return URI.create(emulator.loginUrl() + path);
  }

  /** A client credentials request with a secret for Graph, as MSAL sends it. */
  public Map<String, String> secretForm(Client client) {
    return Http.formOf(
        "client_id", client.appId(),
        "scope", GRAPH_DEFAULT + " openid profile offline_access",
        "client_secret", client.secret(),
        "grant_type", "client_credentials",
        "client_info", "1");
  }

  public Http.Response token(String tenantSegment, Map<String, String> form, String... headers) {
    return http.postForm(tokenUri(tenantSegment), form, headers);
  }

  /** An app registration and the value of its secret. */
  public record Client(AppRegistration app, String secret) {
    public String appId() {
      return app.appId();
    }
  }
}
