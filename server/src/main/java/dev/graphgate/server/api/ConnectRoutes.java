package dev.graphgate.server.api;

/** The paths of connect sessions and of the connection-creation routes the frontend SDK calls. */
final class ConnectRoutes {
  static final String SESSIONS = "/connect/sessions";
  static final String RECONNECT = "/connect/sessions/reconnect";
  static final String SESSION = "/connect/session";
  static final String TELEMETRY = "/connect/telemetry";
  /** Graphgate's own: the admin consent link of a session, for the Connect UI's "Grant access as an administrator". */
  static final String ADMIN_CONSENT = "/connect/admin-consent";
  static final String OAUTH2_AUTH = "/oauth2/auth/";
  static final String TWO_STEP_AUTH = "/auth/two-step/";

  private ConnectRoutes() {}

  /** The routes of this family whose bodies are JSON (a telemetry beacon may come as text/plain). */
  static boolean isJsonRoute(String path) {
    return path.equals(SESSIONS) || path.equals(RECONNECT) || path.equals(SESSION) || path.equals(ADMIN_CONSENT)
        || path.startsWith(OAUTH2_AUTH) || path.startsWith(TWO_STEP_AUTH);
  }
}
