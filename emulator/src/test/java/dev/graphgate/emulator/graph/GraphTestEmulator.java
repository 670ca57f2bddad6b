package dev.graphgate.emulator.graph;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.GraphPermissions;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.emulator.token.CredentialKind;
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

  /** A token of a new app granted exactly {@code roles} in {@code tenant} (none: a token without a roles claim). */
  String token(Tenant tenant, String... roles) {
    AppRegistration app = emulator.directory().createApp(new NewApp(Optional.empty(), "test app " + UUID.randomUUID(), false,
        Optional.of(tenant.id()), List.of(), List.of(roles), List.of(NewApp.NewSecret.generated()), List.of(), false)).app();
    ServicePrincipal sp = emulator.directory().grant(tenant.id(), app.appId(), List.of(roles));
    return emulator.tokens().issue(tenant, app, sp, CredentialKind.SECRET, GraphPermissions.GRAPH_RESOURCE).accessToken();
  }

  Http graph(String token) {
    return new Http(emulator.graphUrl() + "/v1.0/", token);
  }

  Http admin() {
    return new Http(emulator.loginUrl() + "/_emulator/", null);
  }

  /** The admin pass-through: Graph requests with every permission, no token. */
  Http adminGraph(Tenant tenant) {
    return new Http(emulator.loginUrl() + "/_emulator/tenants/" + tenant.id() + "/graph/v1.0/", null);
  }

  @Override
  public void close() {
    emulator.close();
  }
}
