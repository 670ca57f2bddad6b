package dev.graphgate.emulator.directory;

/** A change to the emulated directory that cannot be made: {@code code} is stable, the message says why. */
public final class DirectoryException extends RuntimeException {
  private final String code;

  public DirectoryException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** Not found is told apart so the admin API can answer 404 instead of 400. */
  public boolean isNotFound() {
    return code.endsWith("_not_found");
  }
}
