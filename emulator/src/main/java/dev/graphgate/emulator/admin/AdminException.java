package dev.graphgate.emulator.admin;

/** An admin API request that cannot be served: status, stable code and a message saying what to change. */
final class AdminException extends RuntimeException {
  private final int status;
  private final String code;

  AdminException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
