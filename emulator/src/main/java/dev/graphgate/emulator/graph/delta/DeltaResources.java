package dev.graphgate.emulator.graph.delta;

import dev.graphgate.emulator.graph.auth.Permission;
import dev.graphgate.emulator.graph.resource.DriveResources;
import dev.graphgate.emulator.graph.route.Route;
import dev.graphgate.emulator.graph.route.Router;

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
    router.add(Route.of("GET", "users/delta", Permission.USERS_DELTA, directory::users));
    router.add(Route.of("GET", "groups/delta", Permission.GROUPS_READ, directory::groups));
    router.add(Route.of("GET", "users/{user}/mailFolders/{folder}/messages/delta", Permission.MAIL_READ, outlook::messages).mailbox("user"));
    router.add(Route.of("GET", "users/{user}/calendarView/delta", Permission.CALENDAR_READ, outlook::events).mailbox("user"));
    for (String base : DriveResources.BASES) {
      router.add(Route.of("GET", base + "/root/delta", Permission.FILES_READ, drives::driveItems));
    }
  }
}
