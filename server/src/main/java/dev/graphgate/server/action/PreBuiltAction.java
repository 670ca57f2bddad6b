package dev.graphgate.server.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.RequiredPermission;
import dev.graphgate.server.graph.WriteOutcome;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A pre-built action: one write to Graph, from an input read strictly against a documented schema (docs/actions.md).
 * Each action is a small class saying its name, the application permission it needs, the input fields it takes, and
 * how that input becomes a Graph request and Graph's answer the action's output; {@link ActionService} does the rest
 * for all of them.
 */
public interface PreBuiltAction {
  /** The name {@code action_name} gives ({@code send-mail}). */
  String name();

  /** The application permissions that allow the write, the least privileged first: the one named in {@code permission_missing}. */
  RequiredPermission permission();

  /** The fields {@code input} may have; any other is refused. */
  Set<String> fields();

  /**
   * The write for {@code input}. Problems are reported into {@code input} (and the result is then ignored), so every
   * problem of the input is answered at once; {@code graphOrigin} is the cloud's Graph host, for references.
   */
  Prepared prepare(ActionInput input, String graphOrigin);

  /** The request to send, and how Graph's answer becomes the action's output (the whole body of the API's answer). */
  record Prepared(GraphWrite write, Function<WriteOutcome.Applied, ObjectNode> output) {
    public Prepared {
      Objects.requireNonNull(write);
      Objects.requireNonNull(output);
    }
  }
}
