package dev.graphgate.server.integration;

import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.entra.ScopeRules;
import dev.graphgate.server.provider.Provider;
import dev.graphgate.server.provider.ProviderRegistry;
import dev.graphgate.server.storage.ChangeFeed;
import dev.graphgate.server.storage.Rows;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Integrations, served from memory. All of them are loaded at start and reloaded whenever this or another instance
 * changes one (through the {@link ChangeFeed}); there are few, and they change rarely.
 */
public final class IntegrationService {
  public static final Pattern KEY = Pattern.compile("[a-zA-Z0-9~:.@ _-]{1,255}");

  private final IntegrationRepository repository;
  private final ProviderRegistry providers;
  private final InstantSource clock;
  private volatile Map<String, Integration> byKey = Map.of();
  private final List<LongConsumer> keyRetiredListeners = new CopyOnWriteArrayList<>();

  public IntegrationService(IntegrationRepository repository, ProviderRegistry providers, InstantSource clock, ChangeFeed feed) {
    this.repository = repository;
    this.providers = providers;
    this.clock = clock;
    reload();
    feed.subscribe(ChangeFeed.Entity.INTEGRATION, id -> reload());
  }

  /**
   * Called with the integration's id after this instance deleted or renamed it, so that what others cache under its
   * old key goes too (other instances hear of it through the {@link ChangeFeed}).
   */
  public void onKeyRetired(LongConsumer listener) {
    keyRetiredListeners.add(listener);
  }

  public synchronized void reload() {
    Map<String, Integration> fresh = new LinkedHashMap<>();
    repository.findAll().forEach(i -> fresh.put(i.uniqueKey(), i));
    byKey = Map.copyOf(fresh);
  }

  public Collection<Integration> list() {
    return byKey.values().stream().sorted(Comparator.comparing(Integration::createdAt).thenComparing(Integration::id)).toList();
  }

  /**
   * From memory; a key not in memory is looked up once in the database, since another instance may have created it
   * since the last change-feed poll.
   */
  public Optional<Integration> find(String uniqueKey) {
    Integration cached = byKey.get(uniqueKey);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Integration> stored = repository.findByKey(uniqueKey);
    if (stored.isPresent()) {
      reload();
    }
    return stored;
  }

  public Provider providerOf(Integration integration) {
    return providers.find(integration.provider())
        .orElseThrow(() -> new IllegalStateException("integration " + integration.uniqueKey() + " names an unknown provider"));
  }

  public Integration create(IntegrationDraft draft) {
    String key = draft.uniqueKey().orElseThrow(() -> InvalidRequest.bodyField("Required", "unique_key"));
    String providerName = draft.provider().orElseThrow(() -> InvalidRequest.bodyField("Required", "provider"));
    requireKeyFormat(key, "unique_key");
    Provider provider = providers.find(providerName).orElseThrow(() -> InvalidRequest.bodyField("Invalid provider", "provider"));
    if (find(key).isPresent()) {
      throw InvalidRequest.bodyField("Unique key already exists", "uniqueKey");
    }
    String scopes = ScopeRules.validate(draft.scopes().orElse(providers.cloud().defaultScope()));
    var now = clock.instant();
    Integration created = Rows.orOnUniqueViolation(
        () -> repository.insert(new Integration(0, key, provider.name(), draft.displayName(),
            draft.forwardWebhooks().orElse(true), scopes, draft.sharedCredentials(), draft.webhookSecret(), now, now)),
        () -> {
          throw InvalidRequest.bodyField("Unique key already exists", "uniqueKey"); // created concurrently
        });
    reload();
    return created;
  }

  /**
   * {@code PATCH /integrations/{key}}: the changes {@code reader} makes of the request, once the integration's provider
   * (which decides what its credentials look like) is known.
   */
  public Integration update(String uniqueKey, java.util.function.Function<Provider, IntegrationDraft> reader) {
    Integration current = require(uniqueKey);
    IntegrationDraft changes = reader.apply(providerOf(current));
    if (changes.provider().isPresent() && !changes.provider().get().equals(current.provider())) {
      throw InvalidRequest.bodyField("The provider of an integration cannot change; create a new integration", "provider");
    }
    String newKey = changes.uniqueKey().orElse(current.uniqueKey());
    if (!newKey.equals(current.uniqueKey())) {
      requireKeyFormat(newKey, "unique_key");
      if (repository.hasConnections(current.id())) {
        throw InvalidRequest.body("Can't rename an integration with active connections");
      }
      if (find(newKey).isPresent()) {
        throw InvalidRequest.body("uniqueKey is already used by another integration");
      }
    }
    Optional<String> scopes = changes.scopes().map(ScopeRules::validate);
    // Applied to the row as stored, under its lock: a concurrent update of another field, or another instance's change
    // not yet in this instance's memory, is kept rather than overwritten with a stale copy.
    UnaryOperator<Integration> apply = stored -> new Integration(stored.id(), newKey, stored.provider(),
        changes.displayName().isPresent() ? changes.displayName() : stored.displayName(),
        changes.forwardWebhooks().orElse(stored.forwardWebhooks()),
        scopes.orElse(stored.scopes()),
        changes.clearSharedCredentials() ? Optional.empty()
            : changes.sharedCredentials().isPresent() ? changes.sharedCredentials() : stored.sharedCredentials(),
        changes.webhookSecret().isPresent() ? changes.webhookSecret() : stored.webhookSecret(),
        stored.createdAt(), clock.instant());
    Integration saved = Rows.orOnUniqueViolation(() -> repository.update(current.id(), apply), () -> {
      throw InvalidRequest.body("uniqueKey is already used by another integration"); // taken concurrently
    }).orElseThrow(() -> new NotFound("Integration \"" + uniqueKey + "\" does not exist"));
    reload();
    if (!newKey.equals(current.uniqueKey())) {
      keyRetiredListeners.forEach(l -> l.accept(current.id()));
    }
    return saved;
  }

  public void delete(String uniqueKey) {
    Integration current = find(uniqueKey).orElseThrow(() -> new NotFound("Integration does not exist"));
    repository.delete(current.id());
    reload();
    keyRetiredListeners.forEach(l -> l.accept(current.id()));
  }

  public Integration require(String uniqueKey) {
    return find(uniqueKey).orElseThrow(() -> new NotFound("Integration \"" + uniqueKey + "\" does not exist"));
  }

  public static void requireKeyFormat(String key, String field) {
    if (!KEY.matcher(key).matches()) {
      throw InvalidRequest.bodyField("Invalid " + field + ": use 1 to 255 characters among letters, digits and ~:.@ _-", field);
    }
  }
}
