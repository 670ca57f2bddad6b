package dev.graphgate.emulator.graph.faults;

/**
 * The ways the emulator misbehaves on purpose, each standing for a failure real clients meet and must survive.
 */
public enum FaultPolicy {
  /** 500 {@code generalException}: a transient server bug; a client should retry a few times, then give up. */
  INTERNAL_SERVER_ERROR,
  /** 503 {@code serviceNotAvailable} with {@code Retry-After}: the client must wait as told (kiota retries it). */
  SERVICE_UNAVAILABLE,
  /** 504 {@code GatewayTimeout}: the gateway gave up on the backend; retried like 503, without a Retry-After. */
  GATEWAY_TIMEOUT,
  /** The connection is closed without a response: clients see an I/O error, not an HTTP status, and must not hang. */
  CONNECTION_RESET,
  /** The response comes after a delay: exposes clients without timeouts and proxies that queue behind slow calls. */
  SLOW_RESPONSE
}
