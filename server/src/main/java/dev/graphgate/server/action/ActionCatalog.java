package dev.graphgate.server.action;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pre-built actions, by name. */
public final class ActionCatalog {
  private final Map<String, PreBuiltAction> actions = new LinkedHashMap<>();

  private ActionCatalog(List<PreBuiltAction> all) {
    all.forEach(a -> {
      if (actions.putIfAbsent(a.name(), a) != null) {
        throw new IllegalArgumentException("two actions are named " + a.name());
      }
    });
  }

  public static ActionCatalog standard() {
    return new ActionCatalog(List.of(new SendMailAction(), new CreateEventAction(), new CreateUserAction(), new AddGroupMemberAction(),
        new UploadFileAction()));
  }

  public Optional<PreBuiltAction> find(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  public List<String> names() {
    return List.copyOf(actions.keySet());
  }
}
