package dev.graphgate.emulator.graph;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.emulator.support.Http;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An emulator for Graph tests: tenants with generated data, apps granted exactly the roles a test names, and real
 * signed tokens from the emulator's own issuer.
 */
final class GraphTestEmulator implements AutoCloseable {

  static final LocalDate ANCHOR = LocalDate.of(2025, 3, 14);

  final Emulator emulator;

  private GraphTestEmulator(Emulator emulator) {
    this.emulator = emulator;
  }

  static GraphTestEmulator start() {
    return start(EmulatorConfig.ephemeral());
  }

  static GraphTestEmulator start(EmulatorConfig config) {
    return new GraphTestEmulator(Emulator.start(config));
  }

  /** A new tenant with domain {@code {name}.onmicrosoft.com} and the generated data of {@code spec}. */
  Tenant tenant(String name, GenerationSpec spec) {
    Tenant tenant = emulator.directory().createTenant(Optional.empty(), Optional.of(name), List.of(name + ".onmicrosoft.com"));
    emulator.graphData().tenants().generate(tenant.id(), spec);
    return tenant;
  }

  static GenerationSpec spec(int users, int groups, int members, int messages, int events, int driveItems, int sites) {
    return new GenerationSpec(users, groups, members, messages, events, driveItems, sites, 64 * 1024, Optional.empty(), Optional.of(ANCHOR));
  }

  /**
   * A token of a new app granted exactly {@code roles} in {@code tenant} (none: a token without a roles claim), from
   * the emulator's token endpoint over HTTP with the client credentials grant, as a real client gets it.
   */
  String token(Tenant tenant, String... roles) {
    String secret = "secret-" + UUID.randomUUID();
    AppRegistration app = emulator.directory().createApp(new NewApp(Optional.empty(), "test app " + UUID.randomUUID(), false,
        Optional.of(tenant.id()), List.of(), List.of(roles), List.of(new NewApp.NewSecret(Optional.of(secret), Optional.empty())),
        List.of(), false)).app();
    emulator.directory().grant(tenant.id(), app.appId(), List.of(roles));
    Http.Response response = Http.client().postForm(URI.create(emulator.loginUrl() + "/" + tenant.id() + "/oauth2/v2.0/token"),
        Http.formOf("grant_type", "client_credentials", "client_id", app.appId(), "client_secret", secret,
            "scope", "https://graph.microsoft.com/.default"));
    if (response.status() != 200) {
      throw new IllegalStateException("token request failed: " + response);
    }
    return response.json().path("access_token").asText();
  }

  Http graph(String token) {
    return Http.at(emulator.graphUrl() + "/v1.0/", token);
  }

  Http admin() {
    return Http.at(emulator.loginUrl() + "/_emulator/", null);
  }

  /** The admin pass-through: Graph requests with every permission, no token. */
  Http adminGraph(Tenant tenant) {
    return Http.at(emulator.loginUrl() + "/_emulator/tenants/" + tenant.id() + "/graph/v1.0/", null);
  }

  @Override
  public void close() {
    emulator.close();
  }
}
