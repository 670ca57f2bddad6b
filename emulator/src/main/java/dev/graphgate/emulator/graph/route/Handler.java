package dev.graphgate.emulator.graph.route;

import dev.graphgate.emulator.graph.http.GraphResponse;

/** Serves one matched route. Throws {@link dev.graphgate.emulator.graph.http.GraphException} for refusals. */
@FunctionalInterface
public interface Handler {
  GraphResponse handle(GraphCall call);
}
