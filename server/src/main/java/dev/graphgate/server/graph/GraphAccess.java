package dev.graphgate.server.graph;

import java.util.List;

/** Whether Graphgate can call Graph for a connection now, and with which application permissions. */
public sealed interface GraphAccess {

  /** A token is at hand; {@code roles} are the permissions it grants (its {@code roles} claim). */
  record Granted(List<String> roles) implements GraphAccess {
    public Granted {
      roles = List.copyOf(roles);
    }

    public boolean grantsAny(List<String> permissions) {
      return permissions.stream().anyMatch(roles::contains);
    }
  }

  /** No token: {@code status} is the connection's status, {@code message} what the admin must do. */
  record Unavailable(String status, String message) implements GraphAccess {}
}
