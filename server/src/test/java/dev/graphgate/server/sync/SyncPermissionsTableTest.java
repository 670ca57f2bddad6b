package dev.graphgate.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Json;
import dev.graphgate.server.graph.GraphAccess;
import dev.graphgate.server.graph.PermissionLookup;
import dev.graphgate.server.graph.PermissionTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each pre-built sync's declared permissions agree with the shipped permission table for every request it starts
 * from: a sync never accepts a permission Graph would refuse for its reads, and a mailbox sync's listing permissions
 * are those of its listing. Where a sync asks for a broader permission first than the table's least privileged one,
 * it is named here with the reason.
 */
class SyncPermissionsTableTest {
  /** The sync's least privileged permission differs from the table's, and why. */
  private static final Map<String, String> BROADER_FIRST = Map.of(
      "messages", "Mail.Read: the records keep bodyPreview, which Mail.ReadBasic.All leaves out");

  @Test
  void everySyncAcceptsOnlyWhatTheTableAcceptsForItsRequests() {
    SyncCatalog catalog = SyncCatalog.standard();
    PermissionTable table = PermissionTable.shipped();
    for (String name : catalog.names()) {
      GraphSync sync = catalog.find(name).orElseThrow();
      List<String> reads = new ArrayList<>();
      if (sync instanceof MailboxSync m) {
        List<String> listing = m.listingLinks(new GraphAccess.Granted(List.of("Sites.Read.All")));
        for (String link : listing) {
          List<String> accepted = families(table, link);
          assertThat(accepted).as(name + " listing " + link).containsAll(link.contains("/sites") ? DriveItemsSync.SITE_LISTING : m.listingSatisfiedBy());
        }
        String owner = name.equals("drive-items") ? "users/u1" : "u1";
        m.streams(owner, Json.object(), Instant.parse("2026-01-05T10:00:00Z")).forEach(s -> reads.add(s.initialLink()));
      } else {
        reads.add(sync.initialLink());
      }
      for (String link : reads) {
        List<String> accepted = families(table, link);
        assertThat(accepted).as(name + ": " + link).containsAll(sync.satisfiedBy());
        if (!BROADER_FIRST.containsKey(name)) {
          assertThat(sync.satisfiedBy().get(0)).as(name + ": the least privileged permission of " + link).isEqualTo(accepted.get(0));
        }
      }
    }
  }

  private static List<String> families(PermissionTable table, String link) {
    PermissionLookup l = table.lookup("GET", link);
    assertThat(l).as(link).isInstanceOf(PermissionLookup.Listed.class);
    return ((PermissionLookup.Listed) l).family().permissions();
  }
}
