package dev.graphgate.emulator.admin;

/**
 * An admin API request that cannot be served, on the Entra or the Graph side: status, stable code and a message saying
 * what to change. {@link AdminRoutes} answers it as {@code {"error": {"code", "message"}}}.
 */
public final class AdminException extends RuntimeException {
  private final int status;
  private final String code;

  public AdminException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
