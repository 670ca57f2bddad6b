package dev.graphgate.emulator.graph.data;

import dev.graphgate.emulator.directory.Identifiers;
import dev.graphgate.emulator.graph.generate.DirectoryGenerator;
import dev.graphgate.emulator.graph.store.ChangeLog;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import dev.graphgate.emulator.graph.store.IdCodec;
import dev.graphgate.emulator.graph.store.IdKind;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's users: generated ones plus what was written since. Users are found by id, user principal name or mail;
 * generated names are decoded ({@code adele.vance17@...} is user 17), written ones are indexed.
 */
public final class UserDirectory {

  public static final String SCOPE = "users";
  private static final List<String> NAME_PROPERTIES = List.of("userPrincipalName", "mail");

  private final DirectoryGenerator generator;
  private final IdCodec ids;
  private final EntityStore store;
  /** Lower-cased user principal names and mail addresses of written users. */
  private final Map<String, Long> names = new ConcurrentHashMap<>();

  UserDirectory(DirectoryGenerator generator, IdCodec ids, ChangeLog log) {
    this.generator = generator;
    this.ids = ids;
    this.store = new EntityStore(log, e -> SCOPE, generator.userCount(), generator::user);
  }

  public EntityStore store() {
    return store;
  }

  public String idOf(long key) {
    return ids.guid(IdKind.USER, 0, key);
  }

  /** By object id, user principal name or mail, case-insensitively, as {@code /users/{id | userPrincipalName}}. */
  public Optional<Entity> find(String idOrName) {
    if (Identifiers.isGuid(idOrName)) {
      return ids.fromGuid(idOrName.toLowerCase(Locale.ROOT), IdKind.USER).flatMap(p -> store.get(p.item()));
    }
    return findByName(idOrName);
  }

  public Optional<Entity> findByName(String upnOrMail) {
    String lower = upnOrMail.toLowerCase(Locale.ROOT);
    Long written = names.get(lower);
    if (written != null) {
      Optional<Entity> entity = store.get(written);
      if (entity.isPresent() && matchesName(entity.get(), lower)) {
        return entity;
      }
    }
    OptionalLong index = generator.userIndexForName(lower);
    if (index.isPresent()) {
      Optional<Entity> entity = store.get(index.getAsLong());
      if (entity.isPresent() && matchesName(entity.get(), lower)) {
        return entity;
      }
    }
    return Optional.empty();
  }

  public Optional<Entity> get(long key) {
    return store.get(key);
  }

  Entity insert(Map<String, Object> props) {
    Entity entity = store.insertNew(this::idOf, props);
    index(entity);
    return entity;
  }

  Entity update(Entity current, Map<String, Object> changes) {
    Entity updated = store.replace(current, current.with(changes));
    index(updated);
    Set<String> kept = namesOf(updated);
    namesOf(current).stream().filter(name -> !kept.contains(name)).forEach(name -> names.remove(name, current.key()));
    return updated;
  }

  void delete(Entity current) {
    store.remove(current);
    namesOf(current).forEach(name -> names.remove(name, current.key()));
  }

  private void index(Entity entity) {
    namesOf(entity).forEach(name -> names.put(name, entity.key()));
  }

  private static Set<String> namesOf(Entity user) {
    Set<String> out = new HashSet<>(2);
    for (String property : NAME_PROPERTIES) {
      String value = user.string(property);
      if (value != null) {
        out.add(value.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static boolean matchesName(Entity entity, String lower) {
    String upn = entity.string("userPrincipalName");
    String mail = entity.string("mail");
    return (upn != null && upn.equalsIgnoreCase(lower)) || (mail != null && mail.equalsIgnoreCase(lower));
  }
}
