package dev.graphgate.emulator.directory;

import java.util.List;

/**
 * A newly registered app with the values of its secrets: the only moment they are shown, as in the Azure portal.
 */
public record CreatedApp(AppRegistration app, List<AppSecret> secrets) {
  public CreatedApp {
    secrets = List.copyOf(secrets);
  }
}
