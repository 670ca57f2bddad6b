package dev.graphgate.emulator.admin;

import dev.graphgate.emulator.admin.AdminBodies.AppBody;
import dev.graphgate.emulator.admin.AdminBodies.FixtureBody;
import dev.graphgate.emulator.admin.AdminBodies.GrantBody;
import dev.graphgate.emulator.admin.AdminBodies.TenantBody;
import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.DirectoryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a fixture file at start: {@code {"tenants": [...], "apps": [...], "grants": [...]}}, each entry the body the
 * matching admin endpoint takes. Any bad entry stops the start with a message naming it.
 */
public final class Fixture {

  private Fixture() {}

  /** Loads the fixture; its {@code graph} section, if any, goes to {@code graphSection} after tenants, apps and grants. */
  public static void load(Path file, Directory directory, java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> graphSection) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture file " + file, e);
    }
    FixtureBody fixture;
    try {
      fixture = JsonBodies.parse(json, FixtureBody.class);
    } catch (AdminException e) {
      throw new IllegalArgumentException("fixture " + file + ": " + e.getMessage(), e);
    }
    String section = "tenants";
    int index = 0;
    try {
      for (TenantBody t : AdminBodies.orEmpty(fixture.tenants())) {
        index++;
        directory.createTenant(Optional.ofNullable(t.id()), Optional.ofNullable(t.displayName()), t.domainsOrEmpty());
      }
      section = "apps";
      index = 0;
      for (AppBody a : AdminBodies.orEmpty(fixture.apps())) {
        index++;
        directory.createApp(a.toNewApp());
      }
      section = "grants";
      index = 0;
      for (GrantBody g : AdminBodies.orEmpty(fixture.grants())) {
        index++;
        g.validate();
        directory.grant(g.tenantId(), g.appId(), g.rolesOrEmpty());
      }
    } catch (DirectoryException | AdminException e) {
      throw new IllegalArgumentException("fixture " + file + ", " + section + "[" + (index - 1) + "]: " + e.getMessage(), e);
    }
    if (fixture.graph() != null && !fixture.graph().isNull()) {
      try {
        graphSection.accept(fixture.graph());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("fixture " + file + ", graph: " + e.getMessage(), e);
      }
    }
  }
}
