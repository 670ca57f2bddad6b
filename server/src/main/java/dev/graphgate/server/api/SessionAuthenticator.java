package dev.graphgate.server.api;

import dev.graphgate.server.GraphgateException.AuthenticationFailed;
import dev.graphgate.server.connect.ConnectSession;
import dev.graphgate.server.connect.ConnectSessions;
import dev.graphgate.server.connect.SessionTokens;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * Where a connect session token is accepted, and how it is presented. Exactly these routes take one; every other
 * route refuses it ({@link ApiKeyAuthenticator}):
 *
 * <ul>
 *   <li>{@code GET /integrations}, {@code GET /providers}, {@code GET /providers/{provider}}: the session token or the
 *       secret key, in {@code Authorization: Bearer};
 *   <li>{@code GET} and {@code DELETE /connect/session}, {@code POST /connect/admin-consent}: the session token only;
 *   <li>{@code POST /oauth2/auth/{key}}, {@code POST /auth/two-step/{key}}: the {@code connect_session_token} query
 *       parameter (the frontend SDK's way);
 *   <li>{@code POST /connect/telemetry}: the token in the body (the Connect UI sends a beacon, which has no headers);
 *       its handler checks it.
 * </ul>
 *
 * The session found is kept on the request for its handler ({@link #session}).
 */
final class SessionAuthenticator {
  private static final String ATTRIBUTE = "graphgate.connectSession";

  /** How a route is authenticated. */
  enum Rule {
    SECRET_KEY,
    SECRET_KEY_OR_SESSION,
    SESSION,
    SESSION_IN_QUERY,
    SESSION_IN_BODY
  }

  private final ConnectSessions sessions;
  private final ApiKeyAuthenticator keys;

  SessionAuthenticator(ConnectSessions sessions, ApiKeyAuthenticator keys) {
    this.sessions = sessions;
    this.keys = keys;
  }

  /** The rule of the route a request matched; {@link Rule#SECRET_KEY} for every route not named above. */
  static Rule rule(Context ctx) {
    String p = ctx.path();
    HandlerType m = ctx.method();
    if (m == HandlerType.GET && (p.equals("/integrations") || p.equals("/providers") || p.startsWith("/providers/"))) {
      return Rule.SECRET_KEY_OR_SESSION;
    }
    if (p.equals(ConnectRoutes.SESSION) || p.equals(ConnectRoutes.ADMIN_CONSENT)) {
      return Rule.SESSION;
    }
    if (p.startsWith(ConnectRoutes.OAUTH2_AUTH) || p.startsWith(ConnectRoutes.TWO_STEP_AUTH)) {
      return Rule.SESSION_IN_QUERY;
    }
    if (p.equals(ConnectRoutes.TELEMETRY)) {
      return Rule.SESSION_IN_BODY;
    }
    return Rule.SECRET_KEY;
  }

  /** Authenticates a request to a route whose rule is not {@link Rule#SECRET_KEY}. */
  void authenticate(Context ctx, Rule rule) {
    switch (rule) {
      case SECRET_KEY -> keys.authenticate(ctx);
      case SECRET_KEY_OR_SESSION -> {
        String bearer = ApiKeyAuthenticator.bearer(ctx);
        if (SessionTokens.looksLikeSessionToken(bearer)) {
          remember(ctx, sessions.authenticate(bearer));
        } else {
          keys.authenticateKey(bearer);
        }
      }
      case SESSION -> remember(ctx, sessions.authenticate(ApiKeyAuthenticator.bearer(ctx)));
      case SESSION_IN_QUERY -> {
        String token = ctx.queryParam("connect_session_token");
        if (token == null || token.isEmpty()) {
          throw AuthenticationFailed.missingConnectSessionToken();
        }
        remember(ctx, sessions.authenticate(token));
      }
      case SESSION_IN_BODY -> { }
    }
  }

  /** The session the request was authenticated with; empty when it came with the secret key. */
  static Optional<ConnectSession> session(Context ctx) {
    return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
  }

  /** The session of a route that takes only a session. */
  static ConnectSession requiredSession(Context ctx) {
    return session(ctx).orElseThrow(() -> new IllegalStateException("a session route was reached without its session"));
  }

  private static void remember(Context ctx, ConnectSession session) {
    ctx.attribute(ATTRIBUTE, session);
  }
}
