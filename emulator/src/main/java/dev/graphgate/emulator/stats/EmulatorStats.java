package dev.graphgate.emulator.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what clients asked of the emulator, so tests can prove behaviour from the outside (one token request for 500
 * concurrent readers, no second 429 in a throttled window). Cheap on the hot path: one map lookup and an add.
 */
public final class EmulatorStats {

  /** The app id recorded when a token request named none. */
  public static final String NO_APP = "(none)";

  /**
   * The tenant and app recorded once {@link #MAX_TOKEN_KEYS} pairs are counted: the keys come from what clients send
   * (a tenant segment, a client id), so without a bound a client trying names would grow the counters without end.
   */
  public static final String OTHER = "(other)";

  static final int MAX_TOKEN_KEYS = 10_000;
  private static final TokenKey OTHER_KEY = new TokenKey(OTHER, OTHER);

  private record TokenKey(String tenant, String appId) {}

  private static final class Outcomes {
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
  }

  private record GraphKey(String family, int status) {}

  private final Map<TokenKey, Outcomes> tokenRequests = new ConcurrentHashMap<>();
  private final Map<GraphKey, LongAdder> graphRequests = new ConcurrentHashMap<>();
  private final LongAdder tokensSigned = new LongAdder();

  /**
   * @param tenant the tenant id when the tenant was found, else the path segment as sent
   * @param appId the client id as sent, or {@code null}
   */
  public void recordTokenRequest(String tenant, String appId, boolean succeeded) {
    TokenKey key = new TokenKey(tenant, appId == null ? NO_APP : appId);
    Outcomes outcomes = tokenRequests.get(key);
    if (outcomes == null) {
      outcomes = tokenRequests.computeIfAbsent(tokenRequests.size() < MAX_TOKEN_KEYS ? key : OTHER_KEY, k -> new Outcomes());
    }
    (succeeded ? outcomes.succeeded : outcomes.failed).increment();
  }

  /**
   * One more token signed. Fewer tokens are signed than requests succeed when the token endpoint hands back a token it
   * issued moments ago (EmulatorConfig#tokenReuseWindow).
   */
  public void recordTokenSigned() {
    tokensSigned.increment();
  }

  public long tokensSigned() {
    return tokensSigned.sum();
  }

  /** @param family the first path segment after the version, e.g. {@code users}, {@code $batch} */
  public void recordGraphRequest(String family, int status) {
    graphRequests.computeIfAbsent(new GraphKey(family, status), k -> new LongAdder()).increment();
  }

  public long tokenRequests(String tenant, String appId) {
    Outcomes outcomes = tokenRequests.get(new TokenKey(tenant, appId));
    return outcomes == null ? 0 : outcomes.succeeded.sum() + outcomes.failed.sum();
  }

  public long graphRequests(String family, int status) {
    LongAdder count = graphRequests.get(new GraphKey(family, status));
    return count == null ? 0 : count.sum();
  }

  public void reset() {
    tokenRequests.clear();
    graphRequests.clear();
    tokensSigned.reset();
  }

  /** The JSON document {@code GET /_emulator/stats} answers. */
  public Map<String, Object> snapshot() {
    long succeeded = 0;
    long failed = 0;
    Map<String, Long> byTenant = new TreeMap<>();
    Map<String, Long> byApp = new TreeMap<>();
    List<Map<String, Object>> byTenantAndApp = new java.util.ArrayList<>();
    var rows =
        tokenRequests.entrySet().stream()
            .sorted(
                java.util.Comparator.comparing((Map.Entry<TokenKey, Outcomes> e) -> e.getKey().tenant())
                    .thenComparing(e -> e.getKey().appId()))
            .toList();
    for (var entry : rows) {
      long ok = entry.getValue().succeeded.sum();
      long ko = entry.getValue().failed.sum();
      succeeded += ok;
      failed += ko;
      byTenant.merge(entry.getKey().tenant(), ok + ko, Long::sum);
      byApp.merge(entry.getKey().appId(), ok + ko, Long::sum);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("tenantId", entry.getKey().tenant());
      row.put("appId", entry.getKey().appId());
      row.put("total", ok + ko);
      row.put("succeeded", ok);
      row.put("failed", ko);
      byTenantAndApp.add(row);
    }
    Map<String, Object> tokens = new LinkedHashMap<>();
    tokens.put("total", succeeded + failed);
    tokens.put("succeeded", succeeded);
    tokens.put("failed", failed);
    tokens.put("signed", tokensSigned.sum());
    tokens.put("byTenant", byTenant);
    tokens.put("byApp", byApp);
    tokens.put("byTenantAndApp", byTenantAndApp);

    long graphTotal = 0;
    Map<String, Map<String, Long>> byFamily = new TreeMap<>();
    Map<String, Long> byStatus = new TreeMap<>();
    for (var entry : graphRequests.entrySet()) {
      long count = entry.getValue().sum();
      graphTotal += count;
      String status = Integer.toString(entry.getKey().status());
      byFamily.computeIfAbsent(entry.getKey().family(), f -> new TreeMap<>()).merge(status, count, Long::sum);
      byStatus.merge(status, count, Long::sum);
    }
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("total", graphTotal);
    graph.put("byStatus", byStatus);
    graph.put("byFamily", byFamily);

    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("tokenRequests", tokens);
    snapshot.put("graphRequests", graph);
    return snapshot;
  }
}
