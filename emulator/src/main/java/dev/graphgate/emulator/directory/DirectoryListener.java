package dev.graphgate.emulator.directory;

/** Told after the directory changed, so other parts of the emulator (the Graph data plane) can follow. */
public interface DirectoryListener {

  default void tenantCreated(Tenant tenant) {}

  default void tenantDeleted(Tenant tenant) {}
}
