package dev.graphgate.app;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.emulator.directory.NewApp;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graphgate demo}: for now the Microsoft emulator with a seeded customer tenant and app, and the curl that
 * fetches a token. (When the server lands, the demo starts it in front of the emulator.)
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the demo: the Microsoft emulator with a seeded tenant (contoso.onmicrosoft.com) and app.")
final class DemoCommand implements Callable<Integer> {

  static final String TENANT_ID = "8b1e4c52-3f6a-4d2b-9c1e-5a7d2f0c9e41";
  static final String TENANT_DOMAIN = "contoso.onmicrosoft.com";
  static final String APP_ID = "4a6f1d0e-7b2c-4e8a-9f3d-2c5b8e1a6d70";
  static final String APP_SECRET = "demo-secret-not-for-production";
  /** What the demo tenant holds in Graph: enough to page through, small enough to read. */
  static final GenerationSpec DEMO_DATA =
      new GenerationSpec(250, 12, 20, 25, 15, 20, 4, GenerationSpec.DEFAULT_MAX_FILE_BYTES, Optional.empty(), Optional.empty());

  static final List<String> ROLES = List.of("User.Read.All", "Group.Read.All", "Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All");

  @Option(names = "--login-port", description = "Port of the login host (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int loginPort = EmulatorConfig.DEFAULT_LOGIN_PORT;

  @Option(names = "--graph-port", description = "Port of the Graph host (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int graphPort = EmulatorConfig.DEFAULT_GRAPH_PORT;

  @Override
  public Integer call() throws InterruptedException {
    Ports.requireFree(EmulatorConfig.DEFAULT_HOST, loginPort, "--login-port");
    Ports.requireFree(EmulatorConfig.DEFAULT_HOST, graphPort, "--graph-port");
    Emulator emulator = Emulator.start(EmulatorConfig.defaults().withPorts(loginPort, graphPort));
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "demo-shutdown"));
    seed(emulator);
    System.out.println("Graphgate demo: the Microsoft emulator is running with a seeded customer tenant.");
    System.out.println("  login host: " + emulator.loginUrl() + "   (stands in for https://login.microsoftonline.com)");
    System.out.println("  Graph host: " + emulator.graphUrl() + "   (stands in for https://graph.microsoft.com)");
    System.out.println("  tenant:     " + TENANT_DOMAIN + " (" + TENANT_ID + ")");
    System.out.println("  app:        " + APP_ID + ", secret " + APP_SECRET);
    System.out.println("  granted:    " + String.join(", ", ROLES));
    System.out.println("  Graph data: " + DEMO_DATA.users() + " users, " + DEMO_DATA.groups() + " groups, " + DEMO_DATA.messagesPerMailbox()
        + " messages and " + DEMO_DATA.eventsPerMailbox() + " events per mailbox, " + DEMO_DATA.driveItemsPerDrive() + " files per drive, "
        + DEMO_DATA.sites() + " sites (docs/emulator-graph.md)");
    System.out.println();
    System.out.println("Get a token:");
    System.out.println("  " + CurlHints.tokenRequest(emulator, TENANT_DOMAIN, APP_ID, APP_SECRET));
    System.out.println();
    System.out.println("Decode its claims:");
    System.out.println("  " + CurlHints.tokenRequest(emulator, TENANT_DOMAIN, APP_ID, APP_SECRET).replace("\n", "\n  ")
        + " \\\n    | python3 -c 'import sys,json,base64; t=json.load(sys.stdin)[\"access_token\"].split(\".\")[1];"
        + " print(json.dumps(json.loads(base64.urlsafe_b64decode(t+\"==\")), indent=2))'");
    System.out.println();
    System.out.println("Then read Graph with it (TOKEN=<its access_token>): curl -s '" + emulator.graphUrl() + "/v1.0/users?$top=5&$select=displayName,mail' -H \"Authorization: Bearer $TOKEN\"");
    System.out.println();
    System.out.println("Request counters: curl -s " + emulator.loginUrl() + "/_emulator/stats");
    System.out.println("More: docs/emulator.md. Press Ctrl+C to stop.");
    new CountDownLatch(1).await();
    return 0;
  }

  /** The demo's customer tenant and the SaaS app an admin of it has consented to. */
  static void seed(Emulator emulator) {
    emulator.directory().createTenant(Optional.of(TENANT_ID), Optional.of("Contoso"), List.of(TENANT_DOMAIN));
    emulator.directory().createApp(new NewApp(
        Optional.of(APP_ID), "Graphgate demo app", true, Optional.of(TENANT_ID), List.of("http://localhost:3000/consent/callback"),
        ROLES, List.of(new NewApp.NewSecret(Optional.of(APP_SECRET), Optional.empty())), List.of(), false));
    emulator.directory().grant(TENANT_ID, APP_ID, ROLES);
    emulator.graphData().tenants().generate(TENANT_ID, DEMO_DATA);
  }
}
