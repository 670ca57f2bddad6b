package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.GraphgateException.ActionRefused;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.RefreshBackoff;
import dev.graphgate.server.GraphgateException.RefreshExhausted;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.GraphgateException.TokenRequestFailed;
import dev.graphgate.server.GraphgateException.UnknownConnection;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.graph.GraphAccess;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.graph.WriteOutcome;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code POST /action/trigger} calls: runs one pre-built action for one connection, synchronously. In order:
 * the action by name, its input read strictly (every problem answered at once, nothing sent), the connection, its
 * token (from memory; a connection without one answers as {@code GET /connections/{id}} would), the token's
 * permissions against the action's, then one write through {@link GraphClient#write}, which is never sent again
 * once Graph may have applied it. Graph's errors come back under {@code action_failed} with Graph's code and message.
 */
public final class ActionService {
  private static final Logger log = LoggerFactory.getLogger(ActionService.class);

  private final ActionCatalog catalog;
  private final ConnectionService connections;
  private final TokenService tokens;
  private final GraphClient graph;
  private final AdminConsentLinks consentLinks;

  public ActionService(ActionCatalog catalog, ConnectionService connections, TokenService tokens, GraphClient graph, AdminConsentLinks consentLinks) {
    this.catalog = catalog;
    this.connections = connections;
    this.tokens = tokens;
    this.graph = graph;
    this.consentLinks = consentLinks;
  }

  public List<String> names() {
    return catalog.names();
  }

  /** Runs the action; answers its output. {@code input} is the body's {@code input} (null when absent). */
  public ObjectNode trigger(String integrationKey, String connectionId, String actionName, JsonNode input) {
    PreBuiltAction action = catalog.find(actionName).orElseThrow(() -> new NotFound("No action '" + actionName + "': the pre-built actions are "
        + String.join(", ", catalog.names()) + " (docs/actions.md)."));
    ActionInput in = ActionInput.read(input, action.fields());
    PreBuiltAction.Prepared prepared = in.isObject() ? action.prepare(in, graph.graphOrigin()) : null;
    in.done();
    Connection c;
    try {
      c = connections.get(integrationKey, connectionId);
    } catch (NotFound | UnknownProviderConfig e) {
      throw UnknownConnection.onRecords("Provided ConnectionId and ProviderConfigKey does not match a valid connection");
    }
    TokenAnswer answer = tokens.token(c, false);
    if (!(answer instanceof TokenAnswer.Valid valid)) {
      throw noToken(answer);
    }
    GraphAccess.Granted granted = new GraphAccess.Granted(valid.token().roles().orElse(List.of()));
    String[] link = {null};
    Optional<String> problem = action.permission().problem(granted, "run the action '" + action.name() + "'", c.tenantId().value(),
        () -> link[0] = consentLinks.forConnection(c));
    if (problem.isPresent()) {
      throw ActionRefused.permissionMissing(action.name(), problem.get(), link[0]);
    }
    WriteOutcome outcome = graph.write(c, prepared.write());
    return switch (outcome) {
      case WriteOutcome.Applied applied -> {
        log.info("action {} for connection {}: Graph answered {}", action.name(), c.connectionId(), applied.status());
        yield prepared.output().apply(applied);
      }
      case WriteOutcome.Refused r -> {
        log.info("action {} for connection {}: Graph refused it with {} {}", action.name(), c.connectionId(), r.status(), r.code());
        throw ActionRefused.failed(action.name(), new ActionRefused.Upstream(r.status(), r.code(), r.message(), r.requestId()), r.retryAfter());
      }
      case WriteOutcome.CredentialsUnavailable u -> throw noToken(u.answer());
      case WriteOutcome.NotAnswered n -> {
        log.warn("action {} for connection {}: no answer from Graph ({}); not sent again", action.name(), c.connectionId(), n.failure().code());
        throw n.failure();
      }
    };
  }

  /** The error {@code GET /connections/{id}} answers for a connection without a token: its status and what to do. */
  private GraphgateException noToken(TokenAnswer answer) {
    return switch (answer) {
      case TokenAnswer.Valid v -> throw new IllegalStateException("a valid token is not a failure");
      case TokenAnswer.Refused r -> new TokenRequestFailed(consentLinks.withLinkIfNeeded(r.message(), r.connection()), r.status().wireName());
      case TokenAnswer.BackingOff b -> new RefreshBackoff(b.retryAfter(), consentLinks.withLinkIfNeeded(b.lastError(), b.connection()));
      case TokenAnswer.Exhausted x -> new RefreshExhausted(consentLinks.withLinkIfNeeded(x.lastError(), x.connection()));
      case TokenAnswer.Unavailable u -> new TokenEndpointUnavailable(u.message(), u.retryAfter());
      case TokenAnswer.Gone g -> UnknownConnection.onRecords("Provided ConnectionId and ProviderConfigKey does not match a valid connection");
    };
  }
}
