package dev.graphgate.emulator.graph.delta;

import java.util.Map;

/**
 * What a delta or skip token carries, so a client can hold nothing but the link: which collection, which phase of a
 * round, how far it got, and the query options of the round's first request (they are given only once, as in Graph).
 *
 * @param initial true while the first round enumerates the current state; false while replaying changes
 * @param from the change sequence the round starts after (for the first round: the head when it began)
 * @param upTo the last change a replaying round covers, fixed at its first page (0 until then)
 * @param position the last key served (enumeration) or the count of changes served (replay)
 * @param issuedAt epoch seconds when the link was issued; links expire after the delta token lifetime
 * @param part when above 0, the first round stopped inside the entity whose key is {@code position} (a large group
 *     whose members are split over several pages) and resumes with this part of it
 */
public record DeltaState(
    String tenantId, long epoch, String kind, String scope, boolean initial, long from, long upTo, long position,
    long issuedAt, Map<String, String> options, int part) {

  public DeltaState {
    options = Map.copyOf(options);
  }

  public DeltaState(
      String tenantId, long epoch, String kind, String scope, boolean initial, long from, long upTo, long position,
      long issuedAt, Map<String, String> options) {
    this(tenantId, epoch, kind, scope, initial, from, upTo, position, issuedAt, options, 0);
  }
}
