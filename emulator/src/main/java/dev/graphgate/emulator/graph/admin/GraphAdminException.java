package dev.graphgate.emulator.graph.admin;

/** A refused admin request about the Graph side: status, stable code, and what to change. */
public final class GraphAdminException extends RuntimeException {
  private final int status;
  private final String code;

  public GraphAdminException(int status, String code, String message) {
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
