package dev.graphgate.emulator.graph.resource;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.Drives;
import dev.graphgate.emulator.graph.data.Drives.Drive;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.generate.FileContent;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.CollectionPages;
import dev.graphgate.emulator.graph.odata.Dialect;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Paging;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Entity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OneDrive and SharePoint files: drives of users and sites, items by id or by path, children, content download
 * (streamed, with byte ranges) and small uploads by PUT, folder creation, rename, move and delete.
 */
public final class DriveResources {

  /** The ways a drive is reached: by id, as a user's OneDrive, as a site's document library. */
  public static final List<String> BASES = List.of("drives/{drive}", "users/{user}/drive", "sites/{site}/drive");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  public void register(Router router) {
    for (String base : BASES) {
      router.add(Route.of("GET", base, Permission.FILES_READ, this::drive));
      router.add(Route.of("GET", base + "/root", Permission.FILES_READ, call -> item(call, root(call))));
      router.add(Route.of("GET", base + "/root/children", Permission.FILES_READ, call -> children(call, root(call))));
      router.add(Route.of("POST", base + "/root/children", Permission.FILES_WRITE, call -> createChild(call, root(call))));
      router.add(Route.of("GET", base + "/root/{:path}", Permission.FILES_READ, call -> item(call, byPath(call, root(call)))));
      router.add(Route.of("GET", base + "/root/{:path}/children", Permission.FILES_READ, call -> children(call, byPath(call, root(call)))));
      router.add(Route.of("GET", base + "/root/{:path}/content", Permission.FILES_READ, call -> content(call, byPath(call, root(call)))));
      router.add(Route.of("PUT", base + "/root/{:path}/content", Permission.FILES_WRITE, call -> upload(call, root(call))));
      router.add(Route.of("GET", base + "/items/{item}", Permission.FILES_READ, call -> item(call, byId(call))));
      router.add(Route.of("PATCH", base + "/items/{item}", Permission.FILES_WRITE, this::update));
      router.add(Route.of("DELETE", base + "/items/{item}", Permission.FILES_WRITE, this::delete));
      router.add(Route.of("GET", base + "/items/{item}/children", Permission.FILES_READ, call -> children(call, byId(call))));
      router.add(Route.of("POST", base + "/items/{item}/children", Permission.FILES_WRITE, call -> createChild(call, byId(call))));
      router.add(Route.of("GET", base + "/items/{item}/content", Permission.FILES_READ, call -> content(call, byId(call))));
      router.add(Route.of("PUT", base + "/items/{item}/content", Permission.FILES_WRITE, this::replaceContent));
      router.add(Route.of("PUT", base + "/items/{item}/{:path}/content", Permission.FILES_WRITE, call -> upload(call, byId(call))));
    }
    router.add(Route.of("GET", "users/{user}/drives", Permission.FILES_READ, this::drives));
    router.add(Route.of("GET", "sites/{site}/drives", Permission.FILES_READ, this::drives));
  }

  /** The drive a route's base names, or a 404. */
  public static Drive resolve(GraphCall call) {
    TenantData data = call.data();
    if (call.params().containsKey("drive")) {
      return data.driveById(call.param("drive")).orElseThrow(() -> GraphException.itemNotFound("The drive '" + call.param("drive") + "' could not be found."));
    }
    if (call.params().containsKey("user")) {
      Entity user = data.users().find(call.param("user")).orElseThrow(() -> GraphException.itemNotFound("User '" + call.param("user") + "' not found."));
      return data.userDrive(user);
    }
    Entity site = data.sites().find(call.param("site")).orElseThrow(() -> GraphException.itemNotFound("Requested site could not be found"));
    return data.siteDrive(site);
  }

  record Located(Drive drive, Entity item) {}

  private static Located root(GraphCall call) {
    Drive drive = resolve(call);
    return new Located(drive, call.data().drives().root(drive));
  }

  private static Located byId(GraphCall call) {
    Drive drive = resolve(call);
    String id = call.param("item");
    Entity item = id.equalsIgnoreCase("root") ? call.data().drives().root(drive)
        : call.data().drives().item(drive, id).orElseThrow(() -> GraphException.itemNotFound("Item not found"));
    return new Located(drive, item);
  }

  private static Located byPath(GraphCall call, Located start) {
    String path = call.param("path");
    Entity item = call.data().drives().byPath(start.drive(), start.item(), path)
        .orElseThrow(() -> GraphException.itemNotFound("The resource '" + path + "' could not be found."));
    return new Located(start.drive(), item);
  }

  private GraphResponse drive(GraphCall call) {
    Drive drive = resolve(call);
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.DRIVE);
    return Views.entity(call.request(), 200, "drives/$entity", EntityType.DRIVE.render(call.data().driveEntity(drive).props(), select, false));
  }

  private GraphResponse drives(GraphCall call) {
    Drive drive = resolve(call);
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.DRIVE, Dialect.DRIVE, Paging.DRIVE, null);
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.DRIVE, CollectionPages.of(List.of(call.data().driveEntity(drive))),
        "drives", d -> EntityType.DRIVE.render(d.props(), options.select(), false)));
  }

  private GraphResponse item(GraphCall call, Located located) {
    List<String> select = QueryOptions.parseSelect(call.request().param("$select"), EntityType.DRIVE_ITEM);
    return Views.entity(call.request(), 200, "drives('" + call.data().drives().generator().driveId(located.drive().ref()) + "')/items/$entity",
        EntityType.DRIVE_ITEM.render(call.data().drives().view(located.drive(), located.item()).props(), select, false));
  }

  private GraphResponse children(GraphCall call, Located folder) {
    if (folder.item().get("folder") == null) {
      return GraphResponse.json(200, Map.of("@odata.context", call.request().root() + "/$metadata#Collection(driveItem)", "value", List.of()));
    }
    Drives drives = call.data().drives();
    QueryOptions options = QueryOptions.parse(call.request(), EntityType.DRIVE_ITEM, Dialect.DRIVE, Paging.DRIVE, null);
    List<Entity> children = drives.children(folder.drive(), folder.item());
    Map<String, Integer> childCounts = drives.childCounts(folder.drive());
    String context = "drives('" + drives.generator().driveId(folder.drive().ref()) + "')/items('" + folder.item().id() + "')/children";
    return GraphResponse.json(200, CollectionPages.page(call.request(), options, Dialect.DRIVE, CollectionPages.of(children),
        Views.withSelect(context, options.select()), c -> EntityType.DRIVE_ITEM.render(Drives.view(c, childCounts).props(), options.select(), false)));
  }

  private GraphResponse content(GraphCall call, Located located) {
    Entity file = located.item();
    if (file.get("file") == null) {
      throw GraphException.invalidRequest("'" + file.string("name") + "' is a folder; only files have content.");
    }
    Drives.Content content = call.data().drives().content(located.drive(), file);
    long length = content.length();
    long from = 0;
    long to = length;
    int status = 200;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", file.string("eTag"));
    headers.put("Accept-Ranges", "bytes");
    String range = call.request().header("Range");
    if (range != null) {
      Matcher m = RANGE.matcher(range.trim());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        throw new GraphException(416, "invalidRange", "The Range header '" + range + "' is not a single byte range.", Map.of("Content-Range", "bytes */" + length));
      }
      if (m.group(1).isEmpty()) {
        from = Math.max(0, length - rangeBound(m.group(2)));
      } else {
        from = rangeBound(m.group(1));
        to = m.group(2).isEmpty() ? length : Math.min(length, rangeBound(m.group(2)) + 1);
      }
      if (from >= length || from >= to) {
        throw new GraphException(416, "invalidRange", "The requested range is not satisfiable for a " + length + "-byte file.", Map.of("Content-Range", "bytes */" + length));
      }
      status = 206;
      headers.put("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + length);
    }
    String type = FileContent.mimeType(file.string("name"));
    long start = from;
    long end = to;
    GraphResponse.Writer writer = switch (content) {
      case Drives.Uploaded uploaded -> out -> out.write(uploaded.bytes(), (int) start, (int) (end - start));
      case Drives.Generated generated -> out -> generated.content().write(out, start, end);
    };
    return new GraphResponse(status, headers, new GraphResponse.Body.Stream(to - from, type, writer));
  }

  /** A byte position of a Range header; positions past any file (even past a long) just mean "to the end". */
  private static long rangeBound(String digits) {
    try {
      return Math.min(Long.parseLong(digits), Long.MAX_VALUE - 1);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE - 1;
    }
  }

  private GraphResponse upload(GraphCall call, Located parent) {
    String path = call.param("path");
    String parentPath = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isBlank()) {
      throw GraphException.invalidRequest("The path '" + path + "' names no file; upload to .../{parent}:/{filename}:/content.");
    }
    Drives drives = call.data().drives();
    Entity folder = parentPath.isEmpty() ? parent.item() : drives.byPath(parent.drive(), parent.item(), parentPath)
        .orElseThrow(() -> GraphException.itemNotFound("The parent folder '" + parentPath + "' could not be found."));
    if (folder.get("folder") == null) {
      throw GraphException.invalidRequest("'" + folder.string("name") + "' is not a folder.");
    }
    var existing = drives.child(parent.drive(), folder, name);
    if (existing.isPresent()) {
      return replace(call, parent.drive(), existing.get());
    }
    Entity created = call.data().createDriveItem(parent.drive(), newItem(call, parent.drive(), folder, name, false, call.request().body().length), call.request().body());
    return Views.entity(call.request(), 201, "drives/items/$entity", EntityType.DRIVE_ITEM.render(created.props(), null, false));
  }

  private GraphResponse replaceContent(GraphCall call) {
    Located located = byId(call);
    return replace(call, located.drive(), located.item());
  }

  private GraphResponse replace(GraphCall call, Drive drive, Entity file) {
    if (file.get("file") == null) {
      throw new GraphException(409, "nameAlreadyExists", "A folder named '" + file.string("name") + "' already exists here.");
    }
    byte[] bytes = call.request().body();
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("size", (long) bytes.length);
    changes.put("lastModifiedDateTime", call.data().now());
    Entity updated = call.data().updateDriveItem(drive, file, changes, bytes);
    return Views.entity(call.request(), 200, "drives/items/$entity", EntityType.DRIVE_ITEM.render(updated.props(), null, false));
  }

  private GraphResponse createChild(GraphCall call, Located parent) {
    if (parent.item().get("folder") == null) {
      throw GraphException.invalidRequest("'" + parent.item().string("name") + "' is not a folder.");
    }
    Map<String, Object> body = GraphJson.readObject(call.request().body());
    Object name = body.get("name");
    if (!(name instanceof String n) || n.isBlank() || n.contains("/")) {
      throw GraphException.invalidRequest("A valid 'name' is required to create an item.");
    }
    boolean folder = body.get("folder") instanceof Map<?, ?>;
    long size = 0;
    if (!folder) {
      if (!(body.get("file") instanceof Map<?, ?>)) {
        throw GraphException.invalidRequest("Give a 'folder' facet to create a folder, or upload a file with PUT .../content.");
      }
      if (!call.caller().admin()) {
        throw GraphException.invalidRequest("Files are created by uploading their content with PUT .../{parent-id}:/{filename}:/content.");
      }
      size = body.get("size") instanceof Number s ? s.longValue() : 0;
    }
    String conflict = String.valueOf(body.getOrDefault("@microsoft.graph.conflictBehavior", "fail"));
    Drives drives = call.data().drives();
    String finalName = (String) name;
    if (drives.child(parent.drive(), parent.item(), finalName).isPresent()) {
      if (conflict.equalsIgnoreCase("rename")) {
        int suffix = 1;
        while (drives.child(parent.drive(), parent.item(), finalName + " " + suffix).isPresent()) {
          suffix++;
        }
        finalName = finalName + " " + suffix;
      } else if (conflict.equalsIgnoreCase("replace")) {
        drives.child(parent.drive(), parent.item(), finalName).ifPresent(old -> call.data().deleteDriveItem(parent.drive(), old));
      } else {
        throw new GraphException(409, "nameAlreadyExists", "An item named '" + finalName + "' already exists under this parent.");
      }
    }
    Entity created = call.data().createDriveItem(parent.drive(), newItem(call, parent.drive(), parent.item(), finalName, folder, size), null);
    return Views.entity(call.request(), 201, "drives/items/$entity", EntityType.DRIVE_ITEM.render(drives.view(parent.drive(), created).props(), null, false));
  }

  private GraphResponse update(GraphCall call) {
    Located located = byId(call);
    Drives drives = call.data().drives();
    Map<String, Object> body = GraphJson.readObject(call.request().body());
    Map<String, Object> changes = new LinkedHashMap<>();
    Entity parent = drives.item(located.drive(), String.valueOf(Drives.parentId(located.item()))).orElse(drives.root(located.drive()));
    if (body.get("parentReference") instanceof Map<?, ?> ref && ref.get("id") != null) {
      parent = ref.get("id").toString().equals(drives.root(located.drive()).id()) ? drives.root(located.drive())
          : drives.item(located.drive(), ref.get("id").toString()).orElseThrow(() -> GraphException.itemNotFound("The destination folder could not be found."));
      if (parent.get("folder") == null) {
        throw GraphException.invalidRequest("The destination is not a folder.");
      }
      changes.put("parentReference", drives.generator().parent(located.drive().ref(), parent.id(), parent.key() == 0 ? null : parent.string("name")));
    }
    if (body.containsKey("name")) {
      if (!(body.get("name") instanceof String n) || n.isBlank() || n.contains("/")) {
        throw GraphException.invalidRequest("'name' must be a non-empty file name.");
      }
      changes.put("name", n);
    }
    String newName = String.valueOf(changes.getOrDefault("name", located.item().string("name")));
    Entity target = parent;
    drives.child(located.drive(), target, newName).filter(other -> other.key() != located.item().key()).ifPresent(other -> {
      throw new GraphException(409, "nameAlreadyExists", "An item named '" + newName + "' already exists in the destination.");
    });
    changes.put("lastModifiedDateTime", call.data().now());
    Entity updated = call.data().updateDriveItem(located.drive(), located.item(), changes, null);
    return Views.entity(call.request(), 200, "drives/items/$entity", EntityType.DRIVE_ITEM.render(drives.view(located.drive(), updated).props(), null, false));
  }

  private GraphResponse delete(GraphCall call) {
    Located located = byId(call);
    if (located.item().key() == 0) {
      throw new GraphException(403, "accessDenied", "The root of a drive cannot be deleted.");
    }
    call.data().deleteDriveItem(located.drive(), located.item());
    return GraphResponse.empty(204);
  }

  private static Map<String, Object> newItem(GraphCall call, Drive drive, Entity parent, String name, boolean folder, long size) {
    TenantData data = call.data();
    String now = data.now();
    Map<String, Object> by = Map.of("application", Map.of("id", call.caller().appId(), "displayName", call.caller().appId()));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("createdDateTime", now);
    p.put("lastModifiedDateTime", now);
    p.put("name", name);
    p.put("size", size);
    p.put("createdBy", by);
    p.put("lastModifiedBy", by);
    p.put("parentReference", data.drives().generator().parent(drive.ref(), parent.id(), parent.key() == 0 ? null : parent.string("name")));
    p.put("fileSystemInfo", Map.of("createdDateTime", now, "lastModifiedDateTime", now));
    if (folder) {
      p.put("folder", Map.of("childCount", 0));
    } else {
      p.put("file", Map.of("mimeType", FileContent.mimeType(name)));
    }
    return p;
  }
}
