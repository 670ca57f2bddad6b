package dev.graphgate.emulator.graph.generate;

import java.util.Locale;
import java.util.Optional;

/** The mail folders every mailbox has, with the well-known names Graph accepts in place of their ids. */
public enum WellKnownFolder {
  INBOX("inbox", "Inbox"),
  SENT_ITEMS("sentitems", "Sent Items"),
  DRAFTS("drafts", "Drafts"),
  DELETED_ITEMS("deleteditems", "Deleted Items"),
  ARCHIVE("archive", "Archive");

  private final String wellKnownName;
  private final String displayName;

  WellKnownFolder(String wellKnownName, String displayName) {
    this.wellKnownName = wellKnownName;
    this.displayName = displayName;
  }

  public String wellKnownName() {
    return wellKnownName;
  }

  public String displayName() {
    return displayName;
  }

  public static Optional<WellKnownFolder> byName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (WellKnownFolder folder : values()) {
      if (folder.wellKnownName.equals(lower)) {
        return Optional.of(folder);
      }
    }
    return Optional.empty();
  }
}
