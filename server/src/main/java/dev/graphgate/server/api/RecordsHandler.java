package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.records.RecordAction;
import dev.graphgate.server.records.RecordCursor;
import dev.graphgate.server.records.RecordPage;
import dev.graphgate.server.records.RecordQuery;
import dev.graphgate.server.records.RecordRepository;
import dev.graphgate.server.records.StoredRecord;
import dev.graphgate.server.sync.SyncService;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /records}: a connection's records of one model, in the order they changed, as Nango answers it (the
 * record's fields and {@code _nango_metadata}). {@code filter} keeps the records whose last action is any of those
 * listed, in every combination (Nango drops deleted records from {@code updated,deleted} and {@code added,deleted}).
 */
final class RecordsHandler {
  private static final Set<String> QUERY = Set.of("model", "variant", "modified_after", "delta", "limit", "filter", "cursor", "ids");
  private static final Pattern MODEL = Pattern.compile("[A-Z][a-zA-Z0-9_-]+");
  private static final int MAX_IDS = 100;
  static final int DEFAULT_PRUNE_LIMIT = 1000;
  private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final SyncService syncs;
  private final InstantSource clock;

  RecordsHandler(SyncService syncs, InstantSource clock) {
    this.syncs = syncs;
    this.clock = clock;
  }

  void list(Context ctx) {
    Requests.onlyQuery(ctx, QUERY, Set.of());
    List<FieldError> headers = new ArrayList<>();
    String connection = header(ctx, "Connection-Id", headers);
    String key = header(ctx, "Provider-Config-Key", headers);
    if (!headers.isEmpty()) {
      throw InvalidRequest.headers("Send the Connection-Id and Provider-Config-Key headers", headers);
    }
    List<FieldError> errors = new ArrayList<>();
    String model = Requests.query(ctx, "model").orElse(null);
    if (model == null) {
      errors.add(error(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received undefined", "model"));
    } else if (model.length() > 255 || !MODEL.matcher(model).matches()) {
      errors.add(error(FieldError.Kind.INVALID_STRING, "Expected a model name such as User: a capital letter, then letters, digits, _ or -", "model"));
    }
    Optional<String> variant = Requests.query(ctx, "variant");
    if (variant.isPresent() && (variant.get().length() > 255 || !MODEL.matcher("X" + variant.get()).matches())) {
      errors.add(error(FieldError.Kind.INVALID_STRING, "Expected a variant name: letters, digits, _ or -", "variant"));
    }
    Optional<Instant> modifiedAfter = modifiedAfter(ctx, errors);
    int limit = 0;
    try {
      limit = Requests.intQuery(ctx, "limit", 1, RecordQuery.MAX_LIMIT, RecordQuery.DEFAULT_LIMIT);
    } catch (InvalidRequest e) {
      errors.addAll(e.errors());
    }
    Set<RecordAction> actions = EnumSet.allOf(RecordAction.class);
    Optional<String> filter = Requests.query(ctx, "filter");
    if (filter.isPresent()) {
      actions = EnumSet.noneOf(RecordAction.class);
      for (String part : filter.get().split(",", -1)) {
        switch (part.trim().toLowerCase(Locale.ROOT)) {
          case "added" -> actions.add(RecordAction.ADDED);
          case "updated" -> actions.add(RecordAction.UPDATED);
          case "deleted" -> actions.add(RecordAction.DELETED);
          default -> errors.add(error(FieldError.Kind.INVALID_ENUM_VALUE, "Expected a comma-separated list of added, updated, deleted", "filter"));
        }
      }
    }
    Optional<Long> after = Optional.empty();
    Optional<String> cursor = Requests.query(ctx, "cursor");
    if (cursor.isPresent()) {
      after = cursor.get().length() > 1000 ? Optional.empty() : RecordCursor.decode(cursor.get());
      if (after.isEmpty()) {
        errors.add(error(FieldError.Kind.INVALID_STRING, "Expected a cursor from a previous answer (next_cursor, or a record's own)", "cursor"));
      }
    }
    List<String> ids = ctx.queryParams("ids");
    if (ids.size() > MAX_IDS) {
      errors.add(error(FieldError.Kind.TOO_BIG, "Too big: expected at most " + MAX_IDS + " ids", "ids"));
    }
    for (String id : ids) {
      if (id.isEmpty() || id.length() > 512) {
        errors.add(error(FieldError.Kind.INVALID_STRING, "Expected record ids of 1 to 512 characters", "ids"));
        break;
      }
    }
    if (!errors.isEmpty()) {
      throw InvalidRequest.query(errors);
    }
    String stored = variant.filter(v -> !v.equals("base")).map(v -> model + "::" + v).orElse(model);
    RecordPage page = syncs.records(key, connection, new RecordQuery(0, stored, after, modifiedAfter, actions, ids, limit));
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("records");
    for (StoredRecord r : page.records()) {
      ObjectNode n = r.data().deepCopy();
      n.put("id", r.externalId());
      ObjectNode meta = n.putObject("_nango_metadata");
      meta.put("first_seen_at", MICROS.format(r.firstSeenAt()));
      meta.put("last_modified_at", MICROS.format(r.lastModifiedAt()));
      meta.put("last_action", r.lastAction().name());
      meta.put("deleted_at", r.deletedAt().map(MICROS::format).orElse(null));
      meta.put("pruned_at", r.prunedAt().map(MICROS::format).orElse(null));
      meta.put("cursor", r.cursor());
      list.add(n);
    }
    body.put("next_cursor", page.nextCursor().orElse(null));
    Responses.json(ctx, 200, body);
  }

  /**
   * {@code PATCH /records/prune}: empties the payload of the records up to and including {@code until_cursor} (at most
   * {@code limit}, default {@value #DEFAULT_PRUNE_LIMIT}), keeping their metadata; answers how many and whether more may
   * remain, as Nango does.
   */
  void prune(Context ctx) {
    List<FieldError> headers = new ArrayList<>();
    String connection = header(ctx, "Connection-Id", headers);
    String key = header(ctx, "Provider-Config-Key", headers);
    if (!headers.isEmpty()) {
      throw InvalidRequest.headers("Send the Connection-Id and Provider-Config-Key headers", headers);
    }
    Fields f = Fields.body(Requests.jsonObject(ctx), Set.of("model", "variant", "until_cursor", "limit"));
    String model = f.requiredString("model", 1, 255);
    if (model != null && !MODEL.matcher(model).matches()) {
      f.error(FieldError.Kind.INVALID_STRING, "Expected a model name such as User: a capital letter, then letters, digits, _ or -", "model");
    }
    Optional<String> variant = f.string("variant", 1, 255);
    if (variant.isPresent() && !MODEL.matcher("X" + variant.get()).matches()) {
      f.error(FieldError.Kind.INVALID_STRING, "Expected a variant name: letters, digits, _ or -", "variant");
    }
    String cursor = f.requiredString("until_cursor", 1, 1000);
    Optional<Long> until = cursor == null ? Optional.empty() : RecordCursor.decode(cursor);
    if (cursor != null && until.isEmpty()) {
      f.error(FieldError.Kind.INVALID_STRING, "Expected a cursor from GET /records (a record's _nango_metadata.cursor, or next_cursor)", "until_cursor");
    }
    int limit = DEFAULT_PRUNE_LIMIT;
    Optional<JsonNode> given = f.any("limit");
    if (given.isPresent()) {
      JsonNode l = given.get();
      if (!l.isIntegralNumber() || !l.canConvertToInt() || l.asInt() < 1 || l.asInt() > RecordQuery.MAX_LIMIT) {
        f.error(FieldError.Kind.INVALID_VALUE, "Expected a whole number from 1 to " + RecordQuery.MAX_LIMIT, "limit");
      } else {
        limit = l.asInt();
      }
    }
    f.done();
    String stored = variant.filter(v -> !v.equals("base")).map(v -> model + "::" + v).orElse(model);
    RecordRepository.Pruned pruned = syncs.prune(key, connection, stored, until.orElseThrow(), limit);
    ObjectNode body = Json.object();
    body.put("count", pruned.count());
    body.put("has_more", pruned.hasMore());
    Responses.json(ctx, 200, body);
  }

  /** {@code modified_after} (or the deprecated {@code delta}): ISO-8601 in UTC with {@code Z}, at most 365 days ago. */
  private Optional<Instant> modifiedAfter(Context ctx, List<FieldError> errors) {
    Optional<String> name = Requests.query(ctx, "modified_after").map(v -> "modified_after").or(() -> Requests.query(ctx, "delta").map(v -> "delta"));
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String value = Requests.query(ctx, name.get()).orElseThrow();
    try {
      if (!value.endsWith("Z")) {
        throw new DateTimeParseException("not UTC", value, 0);
      }
      Instant t = Instant.parse(value);
      if (t.isBefore(clock.instant().minus(Duration.ofDays(365)))) {
        errors.add(error(FieldError.Kind.TOO_SMALL, "Expected a time within the last 365 days", name.get()));
        return Optional.empty();
      }
      return Optional.of(t);
    } catch (DateTimeParseException e) {
      errors.add(error(FieldError.Kind.INVALID_STRING, "Expected an ISO-8601 time in UTC such as 2026-01-05T12:00:00.000Z", name.get()));
      return Optional.empty();
    }
  }

  private static String header(Context ctx, String name, List<FieldError> errors) {
    String v = ctx.header(name);
    if (v == null || v.isBlank()) {
      errors.add(new FieldError(FieldError.Kind.INVALID_TYPE, "Invalid input: expected string, received undefined", List.of(name.toLowerCase(Locale.ROOT))));
      return null;
    }
    return v.trim();
  }

  private static FieldError error(FieldError.Kind kind, String message, String parameter) {
    return new FieldError(kind, message, List.of(parameter));
  }
}
