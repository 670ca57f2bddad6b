package dev.graphgate.emulator.entra;

import java.util.Objects;

/** A request Entra refuses: which catalogue entry, and the message with its variable parts filled in. */
public final class EntraException extends RuntimeException {

  private final EntraError error;

  EntraException(EntraError error, String description) {
    super(description, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  public EntraError error() {
    return error;
  }

  /** {@code AADSTSnnnn: message}, the first line of {@code error_description}. */
  public String aadstsMessage() {
    return "AADSTS" + error.code() + ": " + getMessage();
  }
}
