package dev.graphgate.server.sync;

import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.SyncRefused;
import dev.graphgate.server.GraphgateException.UnknownConnection;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.graph.GraphAccess;
import dev.graphgate.server.graph.GraphClient;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.records.RecordPage;
import dev.graphgate.server.records.RecordQuery;
import dev.graphgate.server.records.RecordRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the sync and records routes call: which syncs an integration runs, runs asked for, paused and resumed, their
 * status and frequency, and the records they stored. Connections and integrations are named as the API names them.
 */
public final class SyncService {
  private final IntegrationService integrations;
  private final ConnectionService connections;
  private final SyncCatalog catalog;
  private final SyncSettings settings;
  private final SyncStateRepository states;
  private final SyncScheduler scheduler;
  private final RecordRepository records;
  private final GraphClient graph;
  private final SyncRunner runner;
  private final AdminConsentLinks consentLinks;
  private final InstantSource clock;

  public SyncService(IntegrationService integrations, ConnectionService connections, SyncCatalog catalog, SyncSettings settings,
      SyncStateRepository states, SyncScheduler scheduler, RecordRepository records, GraphClient graph, SyncRunner runner,
      AdminConsentLinks consentLinks, InstantSource clock) {
    this.integrations = integrations;
    this.connections = connections;
    this.catalog = catalog;
    this.settings = settings;
    this.states = states;
    this.scheduler = scheduler;
    this.records = records;
    this.graph = graph;
    this.runner = runner;
    this.consentLinks = consentLinks;
    this.clock = clock;
  }

  /** A pre-built sync and whether the integration runs it. */
  public record Offered(GraphSync sync, boolean enabled) {}

  public List<Offered> offered(String integrationKey) {
    Integration i = integrations.require(integrationKey);
    Set<String> enabled = Set.copyOf(settings.enabled(i.id()));
    return catalog.names().stream().map(n -> new Offered(catalog.find(n).orElseThrow(), enabled.contains(n))).toList();
  }

  /** The integration runs exactly {@code names} from now on, on every connection, each scheduled at once when new. */
  public List<Offered> enable(String integrationKey, List<String> names) {
    Integration i = integrations.require(integrationKey);
    List<FieldError> errors = new ArrayList<>();
    for (int n = 0; n < names.size(); n++) {
      if (catalog.find(names.get(n)).isEmpty()) {
        errors.add(new FieldError(FieldError.Kind.INVALID_ENUM_VALUE, "Unknown sync '" + names.get(n) + "': expected one of "
            + String.join(", ", catalog.names()), List.of("syncs", n)));
      }
    }
    if (!errors.isEmpty()) {
      throw InvalidRequest.body(errors);
    }
    settings.replace(i.id(), List.copyOf(new LinkedHashSet<>(names)), clock.instant());
    scheduler.plan();
    return offered(integrationKey);
  }

  /**
   * Runs the named syncs (every enabled one when {@code names} is empty) as soon as possible, for one connection or
   * every connection of the integration; {@code reset}: a full round from scratch.
   */
  public void trigger(String integrationKey, Optional<String> connectionId, List<String> names, boolean reset) {
    List<SyncStateRepository.Listed> chosen = chosen(integrationKey, connectionId, names, UnknownConnection::onTrigger);
    if (connectionId.isPresent()) {
      Connection c = connection(integrationKey, connectionId.get(), UnknownConnection::onTrigger);
      requirePermissions(c, chosen);
    }
    for (SyncStateRepository.Listed l : chosen) {
      states.requestRun(l.state().connectionId(), l.state().syncName(), reset);
      scheduler.runSoon(l.state().connectionId(), l.state().syncName());
    }
  }

  /**
   * Pauses the named syncs' schedules (a run under way goes on to its end; no new one starts) or resumes them (the
   * next run comes at its scheduled time, within one frequency).
   */
  public void setPaused(String integrationKey, Optional<String> connectionId, List<String> names, boolean paused) {
    for (SyncStateRepository.Listed l : chosen(integrationKey, connectionId, names, UnknownConnection::onRecords)) {
      states.setPaused(l.state().connectionId(), l.state().syncName(), paused);
    }
  }

  /** A sync's state as {@code GET /sync/status} shows it. */
  public record Status(String connectionId, GraphSync sync, SyncState state, boolean running, Optional<Instant> nextRun, long recordCount) {}

  /** The named syncs' status (all when {@code names} is empty); names not enabled are skipped, as Nango does. */
  public List<Status> status(String integrationKey, Optional<String> connectionId, List<String> names) {
    Integration i = integrations.find(integrationKey).orElseThrow(() -> new UnknownProviderConfig("Provider config not found: no integration '"
        + integrationKey + "'."));
    Optional<Long> rowId = connectionId.map(cid -> {
      try {
        return connections.get(integrationKey, cid).id();
      } catch (NotFound e) {
        throw InvalidRequest.body("Connection not found");
      }
    });
    scheduler.plan();
    List<Status> out = new ArrayList<>();
    for (SyncStateRepository.Listed l : states.forIntegration(i.id(), rowId)) {
      if (!names.isEmpty() && !names.contains(l.state().syncName())) {
        continue;
      }
      Optional<GraphSync> sync = catalog.find(l.state().syncName());
      if (sync.isEmpty()) {
        continue;
      }
      long id = l.state().connectionId();
      out.add(new Status(l.connectionId(), sync.get(), l.state(), scheduler.running(id, sync.get().name()), scheduler.nextScheduled(id, sync.get().name()),
          records.count(id, sync.get().model())));
    }
    return out;
  }

  /** Sets how often the sync runs for the connection ({@code frequency} empty: the default); answers the frequency now in force. */
  public Duration frequency(String integrationKey, String connectionId, String syncName, Optional<Duration> frequency) {
    List<SyncStateRepository.Listed> chosen = chosen(integrationKey, Optional.of(connectionId), List.of(syncName), UnknownConnection::onRecords);
    Duration d = frequency.orElse(SyncFrequency.DEFAULT);
    for (SyncStateRepository.Listed l : chosen) {
      states.setFrequency(l.state().connectionId(), syncName, d);
    }
    return d;
  }

  /** The connection's records, as {@code query} (whose connection id is ignored) asks. */
  public RecordPage records(String integrationKey, String connectionId, RecordQuery query) {
    Connection c;
    try {
      c = connections.get(integrationKey, connectionId);
    } catch (NotFound | UnknownProviderConfig e) {
      throw UnknownConnection.onRecords("Provided ConnectionId and ProviderConfigKey does not match a valid connection");
    }
    return records.find(new RecordQuery(c.id(), query.model(), query.afterPosition(), query.modifiedAfter(), query.actions(), query.ids(),
        query.limit()));
  }

  /** Empties the payload of the connection's records of the model up to cursor position {@code untilPosition}. */
  public RecordRepository.Pruned prune(String integrationKey, String connectionId, String model, long untilPosition, int limit) {
    Connection c;
    try {
      c = connections.get(integrationKey, connectionId);
    } catch (NotFound | UnknownProviderConfig e) {
      throw UnknownConnection.onRecords("Provided ConnectionId and ProviderConfigKey does not match a valid connection");
    }
    return records.prune(c.id(), model, untilPosition, limit, clock.instant());
  }

  private List<SyncStateRepository.Listed> chosen(String integrationKey, Optional<String> connectionId, List<String> names,
      Function<String, UnknownConnection> unknownConnection) {
    Integration i = integrations.find(integrationKey).orElseThrow(() -> new UnknownProviderConfig("Provider config not found: no integration '"
        + integrationKey + "'. Check provider_config_key."));
    Optional<Long> rowId = connectionId.map(cid -> connection(integrationKey, cid, unknownConnection).id());
    scheduler.plan();
    List<SyncStateRepository.Listed> chosen = states.forIntegration(i.id(), rowId).stream()
        .filter(l -> names.isEmpty() || names.contains(l.state().syncName())).toList();
    if (chosen.isEmpty()) {
      throw SyncRefused.noSyncsFound("No syncs found given the inputs. Enabled for integration '" + integrationKey + "': "
          + (settings.enabled(i.id()).isEmpty() ? "none (enable syncs with PUT /integrations/" + integrationKey + "/syncs)"
              : String.join(", ", settings.enabled(i.id()))) + ".");
    }
    return chosen;
  }

  private Connection connection(String integrationKey, String connectionId, Function<String, UnknownConnection> unknown) {
    try {
      return connections.get(integrationKey, connectionId);
    } catch (NotFound e) {
      throw unknown.apply("No connection '" + connectionId + "' in integration '" + integrationKey + "'. Check connection_id.");
    }
  }

  private void requirePermissions(Connection c, List<SyncStateRepository.Listed> chosen) {
    GraphAccess access = graph.access(c);
    if (!(access instanceof GraphAccess.Granted granted)) {
      return;
    }
    for (SyncStateRepository.Listed l : chosen) {
      GraphSync sync = catalog.find(l.state().syncName()).orElseThrow();
      Optional<String> problem = runner.permissionProblem(c, sync, granted);
      if (problem.isPresent()) {
        throw SyncRefused.permissionMissing(problem.get(), consentLinks.forConnection(c));
      }
    }
  }
}
