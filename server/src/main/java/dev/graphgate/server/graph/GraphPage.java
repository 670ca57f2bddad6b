package dev.graphgate.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a Graph collection or delta round, as Graph sent it: its items ({@code value}), and exactly one of
 * {@code nextLink} (more pages follow) or {@code deltaLink} (the round is over; keep it for the next round), or
 * neither (the last page of a plain collection). {@code count} is {@code @odata.count} when Graph gave one.
 */
public record GraphPage(List<JsonNode> items, Optional<String> nextLink, Optional<String> deltaLink, OptionalLong count) {
  public GraphPage {
    items = List.copyOf(items);
    Objects.requireNonNull(nextLink);
    Objects.requireNonNull(deltaLink);
    Objects.requireNonNull(count);
  }

  public boolean last() {
    return nextLink.isEmpty();
  }
}
