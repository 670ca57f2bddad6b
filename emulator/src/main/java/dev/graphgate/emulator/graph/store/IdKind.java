package dev.graphgate.emulator.graph.store;

/** What an id names; part of the encoded id, so an id of one kind never resolves as another. */
public enum IdKind {
  USER(1),
  GROUP(2),
  MAIL_FOLDER(3),
  MESSAGE(4),
  EVENT(5),
  USER_DRIVE(6),
  SITE_DRIVE(7),
  USER_DRIVE_ITEM(8),
  SITE_DRIVE_ITEM(9),
  SITE(10),
  SITE_WEB(11),
  ORGANIZATION(12),
  APPLICATION(13),
  SERVICE_PRINCIPAL(14),
  CALENDAR(15);

  private final int code;

  IdKind(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }
}
