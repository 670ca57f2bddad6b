package dev.graphgate.server.config;

/** A setting has a value Graphgate cannot run with; the message names the setting and what it accepts. */
public final class InvalidConfigException extends RuntimeException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
