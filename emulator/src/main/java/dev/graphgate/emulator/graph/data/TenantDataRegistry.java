package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.directory.DirectoryListener;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.generate.Generation;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Graph data of every tenant, following the directory: a tenant starts with no users (plus its root site and
 * organization), is given generated data with {@link #generate}, and loses everything when it is deleted.
 */
public final class TenantDataRegistry implements DirectoryListener {

  private static final Logger LOG = LoggerFactory.getLogger(TenantDataRegistry.class);

  private final Directory directory;
  private final long seed;
  private final InstantSource clock;
  private final Duration changeRetention;
  private final Map<String, TenantData> tenants = new ConcurrentHashMap<>();
  private final AtomicLong epochs = new AtomicLong();
  private volatile TenantChangeListener changes = TenantChangeListener.NONE;

  public TenantDataRegistry(Directory directory, long seed, InstantSource clock, Duration changeRetention) {
    this.directory = directory;
    this.seed = seed;
    this.clock = clock;
    this.changeRetention = changeRetention;
  }

  /** Tells {@code listener} of every change to every tenant's data from now on (the one listener: change notifications). */
  public void listen(TenantChangeListener listener) {
    this.changes = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** The data of a tenant known to the directory, by id or domain. */
  public Optional<TenantData> find(String tenantIdOrDomain) {
    return directory.findTenant(tenantIdOrDomain).map(t -> tenants.computeIfAbsent(t.id(), id -> create(t, GenerationSpec.empty())));
  }

  /**
   * Replaces the tenant's data with what {@code spec} generates. Generation is lazy (entities are computed when read),
   * so this takes the same short time for 10 users or 10 million; what was written to the tenant before is gone, and
   * its delta tokens answer 410.
   */
  public TenantData generate(String tenantIdOrDomain, GenerationSpec spec) {
    Tenant tenant =
        directory.findTenant(tenantIdOrDomain).orElseThrow(() -> new IllegalArgumentException("no tenant " + tenantIdOrDomain));
    long started = System.nanoTime();
    TenantData data = create(tenant, spec);
    tenants.put(tenant.id(), data);
    LOG.info(
        "Generated tenant {}: {} users, {} groups x {} members, {} messages and {} events per mailbox, {} items per drive, {} sites (seed {}, anchor {}) in {} ms",
        tenant.id(), spec.users(), spec.groups(), spec.membersPerGroup(), spec.messagesPerMailbox(), spec.eventsPerMailbox(),
        spec.driveItemsPerDrive(), Math.max(1, spec.sites()), data.generation().seed(),
        data.generation().anchor(), (System.nanoTime() - started) / 1_000_000);
    return data;
  }

  /** Makes every delta link of the tenant answer 410 from now on, leaving its data as it is. */
  public void resetDeltaTokens(String tenantIdOrDomain) {
    find(tenantIdOrDomain).ifPresent(data -> data.resetDeltaTokens(epochs.incrementAndGet()));
  }

  @Override
  public void tenantCreated(Tenant tenant) {
    tenants.computeIfAbsent(tenant.id(), id -> create(tenant, GenerationSpec.empty()));
  }

  @Override
  public void tenantDeleted(Tenant tenant) {
    tenants.remove(tenant.id());
  }

  private TenantData create(Tenant tenant, GenerationSpec spec) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    TenantData data = new TenantData(Generation.of(seed, tenant, spec, today), epochs.incrementAndGet(), clock, changeRetention);
    data.changes().listen((scope, change) -> changes.changed(data, ChangeScope.of(scope), change));
    return data;
  }
}
