package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.ConnectRefused;
import dev.graphgate.server.GraphgateException.CredentialsRefused;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.SessionConnections;
import dev.graphgate.server.connection.ConnectionCredentials;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.provider.AuthMode;
import dev.graphgate.server.secret.Secret;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes the frontend SDK creates a connection with, authenticated by {@code connect_session_token}
 * (nango-api.md §3.6): {@code POST /oauth2/auth/{key}} with a client secret, {@code POST /auth/two-step/{key}} with a
 * certificate. The credentials are proved with a token request before anything is stored; the answer is
 * {@code 200 {"providerConfigKey","connectionId"}}, or Nango's error with what the customer's admin must do.
 */
final class ConnectCreationHandler {
  private static final Set<String> SECRET_KEYS = Set.of("client_id", "client_secret");
  private static final Set<String> CERT_KEYS = Set.of("clientId", "privateKey", "certificateThumbprint", "certificate", "type");
  private static final Duration RETRY_AFTER_OUTAGE = Duration.ofSeconds(5);

  private final SessionConnections creations;

  ConnectCreationHandler(SessionConnections creations) {
    this.creations = creations;
  }

  /** {@code POST /oauth2/auth/{key}}: {@code {"client_id":"…","client_secret":"…"}}. */
  void clientSecret(Context ctx) {
    Map<String, String> params = params(ctx);
    String key = key(ctx);
    ObjectNode body = body(ctx);
    if (!nonEmptyText(body, "client_id")) {
      typeChecked(body, "client_id");
      throw ConnectRefused.missingClientId();
    }
    if (!nonEmptyText(body, "client_secret")) {
      typeChecked(body, "client_secret");
      throw ConnectRefused.missingClientSecret();
    }
    Fields f = Fields.body(body, SECRET_KEYS);
    String clientId = f.requiredString("client_id", 1, 255);
    String secret = f.requiredString("client_secret", 1, 2048);
    f.done();
    SessionConnections.Outcome outcome = creations.create(SessionAuthenticator.requiredSession(ctx), AuthMode.OAUTH2_CC,
        new SessionConnections.Request(key, new ConnectionCredentials.ClientSecret(clientId, Secret.of(secret)), params));
    answer(ctx, outcome, false);
  }

  /**
   * {@code POST /auth/two-step/{key}}: {@code {"clientId","privateKey","certificateThumbprint"}} as the frontend SDK
   * sends them, or with the {@code certificate} (PEM) instead of, or besides, its thumbprint.
   */
  void certificate(Context ctx) {
    Map<String, String> params = params(ctx);
    String key = key(ctx);
    Fields f = Fields.body(body(ctx), CERT_KEYS);
    f.string("type", 1, 20).filter(t -> !t.equals(AuthMode.TWO_STEP.name())).ifPresent(t -> f.invalid("Invalid type: expected TWO_STEP", "type"));
    ConnectionCredentials credentials = ConnectionImportReader.certificate(f);
    SessionConnections.Outcome outcome = creations.create(SessionAuthenticator.requiredSession(ctx), AuthMode.TWO_STEP,
        new SessionConnections.Request(key, credentials, params));
    answer(ctx, outcome, true);
  }

  private static void answer(Context ctx, SessionConnections.Outcome outcome, boolean twoStep) {
    switch (outcome) {
      case SessionConnections.Outcome.Created c -> {
        ObjectNode body = Json.object().put("providerConfigKey", c.connection().integrationKey()).put("connectionId", c.connection().connectionId());
        Responses.json(ctx, 200, body);
      }
      case SessionConnections.Outcome.Refused r -> throw twoStep
          ? CredentialsRefused.twoStep(r.message(), r.status().wireName(), r.adminConsentUrl())
          : CredentialsRefused.clientCredentials(r.message(), r.status().wireName(), r.adminConsentUrl());
      case SessionConnections.Outcome.Unavailable u -> throw new TokenEndpointUnavailable(
          u.message() + " Nothing was stored; try again shortly.", u.retryAfter().orElse(RETRY_AFTER_OUTAGE));
    }
  }

  /**
   * {@code params[<name>]}: the provider's connection configuration ({@link SessionConnections#PARAMS}), one string
   * each. {@code connection_id} is refused, as Nango refuses it with a session token; so is any other key.
   */
  private static Map<String, String> params(Context ctx) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((name, values) -> {
      if (name.equals("connect_session_token")) {
        return;
      }
      if (name.equals("connection_id")) {
        errors.add(new FieldError(FieldError.Kind.INVALID_VALUE, "connection_id is forbidden when using session token", List.of(name)));
      } else if (name.startsWith("params[") && name.endsWith("]") && SessionConnections.PARAMS.contains(name.substring(7, name.length() - 1))) {
        if (values.size() != 1) {
          errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected one string", List.of(name)));
        } else {
          params.put(name.substring(7, name.length() - 1), values.get(0));
        }
      } else {
        errors.add(new FieldError(FieldError.Kind.UNRECOGNIZED_KEYS, "Unrecognized key: \"" + RequestJson.shown(name) + "\" (the parameters are "
            + "connect_session_token and params[" + String.join("], params[", SessionConnections.PARAMS) + "])", List.of()));
      }
    });
    if (!errors.isEmpty()) {
      throw InvalidRequest.query(errors);
    }
    return params;
  }

  private static String key(Context ctx) {
    String key = ctx.pathParam("key");
    if (!IntegrationService.KEY.matcher(key).matches()) {
      throw InvalidRequest.uriParams(FieldError.Kind.INVALID_STRING, "Invalid integration key", "providerConfigKey");
    }
    return key;
  }

  /** The body as an object; none at all reads as {@code {}}, so its missing credentials are named as such. */
  private static ObjectNode body(Context ctx) {
    JsonNode node = RequestJson.read(ctx.bodyAsBytes());
    if (node == null) {
      return Json.object();
    }
    if (!node.isObject()) {
      throw InvalidRequest.body("The request body must be a JSON object",
          List.of(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected object", List.of())));
    }
    return (ObjectNode) node;
  }

  private static boolean nonEmptyText(ObjectNode body, String key) {
    JsonNode v = body.get(key);
    return v != null && v.isTextual() && !v.textValue().isEmpty();
  }

  /** A credential sent with the wrong type is a field error, not "missing". */
  private static void typeChecked(ObjectNode body, String key) {
    JsonNode v = body.get(key);
    if (v != null && !v.isNull() && !v.isTextual()) {
      Fields f = Fields.body(body, Set.copyOf(iterable(body)));
      f.requiredString(key, 1, 2048);
      f.done();
    }
  }

  private static List<String> iterable(ObjectNode body) {
    List<String> keys = new ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
