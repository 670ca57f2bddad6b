package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.graph.data.Drives;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.route.PathParser;
import dev.graphgate.emulator.graph.store.Entity;
import java.util.List;
import java.util.Locale;

/**
 * Reads a subscription's {@code resource} (a Graph path without the base URL, as {@code users},
 * {@code users/{id}/mailFolders('inbox')/messages} or {@code /drives/{id}/root}) into what it watches, in the tenant's
 * data; the path spellings are {@link PathParser}'s, as for any Graph request.
 */
final class ResourceParser {

  private ResourceParser() {}

  static SubscribedResource parse(TenantData data, String resource) {
    String path = resource.strip();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty() || path.contains("?")) {
      throw unsupported(resource);
    }
    List<String> raw;
    try {
      raw = PathParser.parse(path).segments();
    } catch (GraphException e) {
      throw unsupported(resource);
    }
    List<String> s = raw.stream().map(segment -> segment.toLowerCase(Locale.ROOT)).toList();
    if (!s.isEmpty() && s.getFirst().equals("me")) {
      throw GraphException.badRequest("/me request is only valid with delegated authentication flow.");
    }
    if (s.equals(List.of("users"))) {
      return new SubscribedResource.Users();
    }
    if (s.equals(List.of("groups"))) {
      return new SubscribedResource.Groups();
    }
    if (s.size() >= 3 && s.getFirst().equals("users")) {
      Entity user = data.users().find(raw.get(1)).orElse(null);
      List<String> rest = s.subList(2, s.size());
      if (rest.equals(List.of("messages"))) {
        return new SubscribedResource.Messages(owner(user, raw.get(1)).key(), user.id(), null);
      }
      if (rest.size() == 3 && rest.get(0).equals("mailfolders") && rest.get(2).equals("messages")) {
        Entity owner = owner(user, raw.get(1));
        WellKnownFolder folder = data.mail().folder(owner.key(), raw.get(3))
            .orElseThrow(GraphException::outlookItemNotFound);
        return new SubscribedResource.Messages(owner.key(), owner.id(), folder);
      }
      if (rest.equals(List.of("events")) || rest.equals(List.of("calendar", "events"))) {
        Entity owner = owner(user, raw.get(1));
        return new SubscribedResource.Events(owner.key(), owner.id());
      }
      if (rest.equals(List.of("drive", "root"))) {
        if (user == null) {
          throw GraphException.itemNotFound("User '" + raw.get(1) + "' not found.");
        }
        return driveRoot(data, data.userDrive(user));
      }
    }
    if (s.size() == 3 && s.getFirst().equals("drives") && s.get(2).equals("root")) {
      Drives.Drive drive = data.driveById(raw.get(1))
          .orElseThrow(() -> GraphException.itemNotFound("The drive '" + raw.get(1) + "' could not be found."));
      return driveRoot(data, drive);
    }
    if (s.size() == 4 && s.getFirst().equals("sites") && s.get(2).equals("drive") && s.get(3).equals("root")) {
      Entity site = data.sites().find(raw.get(1)).orElseThrow(() -> GraphException.itemNotFound("Requested site could not be found"));
      return driveRoot(data, data.siteDrive(site));
    }
    throw unsupported(resource);
  }

  private static Entity owner(Entity user, String given) {
    if (user == null) {
      throw GraphException.outlookUserNotFound(given);
    }
    return user;
  }

  private static SubscribedResource driveRoot(TenantData data, Drives.Drive drive) {
    String driveId = data.drives().generator().driveId(drive.ref());
    return new SubscribedResource.DriveRoot(drive.ref(), driveId, data.drives().root(drive).id());
  }

  private static GraphException unsupported(String resource) {
    return new GraphException(400, "InvalidRequest",
        "The resource '" + resource + "' is not supported for change notifications. The emulator supports users, groups, "
            + "users/{id}/messages, users/{id}/mailFolders/{id}/messages, users/{id}/events and drives/{id}/root.");
  }
}
