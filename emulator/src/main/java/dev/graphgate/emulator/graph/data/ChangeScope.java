package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.graph.generate.DriveGenerator.DriveRef;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.store.IdKind;
import java.util.Optional;

/**
 * What a change log scope names, read back from the scope strings this package writes ({@link UserDirectory#SCOPE},
 * {@link GroupDirectory#SCOPE}, {@link Mailboxes#scope}, {@link Calendars#scope}, {@link DriveRef#scope}): the one
 * place that knows their format besides the writers, so listeners to the change log never parse them.
 */
public sealed interface ChangeScope {

  record Users() implements ChangeScope {}

  record Groups() implements ChangeScope {}

  /** A mail folder of the mailbox of user {@code userKey}. */
  record MailFolder(long userKey, WellKnownFolder folder) implements ChangeScope {}

  /** The default calendar of user {@code userKey}. */
  record Calendar(long userKey) implements ChangeScope {}

  record Drive(DriveRef drive) implements ChangeScope {}

  /** Sites and anything else change notifications do not cover. */
  record Other(String scope) implements ChangeScope {}

  static ChangeScope of(String scope) {
    if (scope.equals(UserDirectory.SCOPE)) {
      return new Users();
    }
    if (scope.equals(GroupDirectory.SCOPE)) {
      return new Groups();
    }
    String[] parts = scope.split("/");
    try {
      if (parts.length == 3 && parts[0].equals("mail")) {
        Optional<WellKnownFolder> folder = WellKnownFolder.byName(parts[2]);
        if (folder.isPresent()) {
          return new MailFolder(Long.parseLong(parts[1]), folder.get());
        }
      } else if (parts.length == 2 && parts[0].equals("events")) {
        return new Calendar(Long.parseLong(parts[1]));
      } else if (parts.length == 3 && parts[0].equals("drive")) {
        return new Drive(new DriveRef(IdKind.valueOf(parts[1]), Long.parseLong(parts[2])));
      }
    } catch (IllegalArgumentException e) {
      return new Other(scope);
    }
    return new Other(scope);
  }
}
