package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.data.Calendars;
import dev.graphgate.emulator.graph.data.Drives;
import dev.graphgate.emulator.graph.data.GroupDirectory;
import dev.graphgate.emulator.graph.data.Mailboxes;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.data.UserDirectory;
import dev.graphgate.emulator.graph.generate.WellKnownFolder;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.odata.EntityType;
import dev.graphgate.emulator.graph.odata.Filter;
import dev.graphgate.emulator.graph.odata.FilterParser;
import dev.graphgate.emulator.graph.odata.QueryOptions;
import dev.graphgate.emulator.graph.resource.CalendarResources;
import dev.graphgate.emulator.graph.resource.DriveResources;
import dev.graphgate.emulator.graph.resource.MailResources;
import dev.graphgate.emulator.graph.resource.UserResources;
import dev.graphgate.emulator.graph.route.GraphCall;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;
import dev.graphgate.emulator.graph.store.Change;
import dev.graphgate.emulator.graph.store.ChangeType;
import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.EntityStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The delta functions: {@code users/delta}, {@code groups/delta} (with {@code members@delta}), messages of a mail
 * folder, {@code calendarView/delta} and a drive's {@code root/delta}; each a {@link DeltaSource} over the tenant's
 * store and change log, run by the {@link DeltaEngine}.
 */
public final class DeltaResources {

  private final DirectoryDelta directory;
  private final OutlookDelta outlook;
  private final DriveDelta drives;

  public DeltaResources(DeltaEngine engine) {
    this.directory = new DirectoryDelta(engine);
    this.outlook = new OutlookDelta(engine);
    this.drives = new DriveDelta(engine);
  }

  public void register(Router router) {
    router.add(Route.of("GET", "users/delta", Permission.USERS_READ, directory::users));
    router.add(Route.of("GET", "groups/delta", Permission.GROUPS_READ, directory::groups));
    router.add(Route.of("GET", "users/{user}/mailFolders/{folder}/messages/delta", Permission.MAIL_READ, outlook::messages).mailbox("user"));
    router.add(Route.of("GET", "users/{user}/calendarView/delta", Permission.CALENDAR_READ, outlook::events).mailbox("user"));
    for (String base : DriveResources.BASES) {
      router.add(Route.of("GET", base + "/root/delta", Permission.FILES_READ, drives::driveItems));
    }
  }
}
