package dev.graphgate.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one runnable jar: each capability is a subcommand. */
@Command(
    name = "graphgate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "App-only access to customers' Microsoft 365 tenants, and a local Microsoft emulator.",
    subcommands = {ServeCommand.class, DemoCommand.class, RotateKeyCommand.class, EmulatorCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new Main())
            .setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                  // A user's mistake (a port in use, a bad fixture) deserves a sentence, not a stack trace.
                  commandLine.getErr().println("graphgate " + commandLine.getCommandName() + ": " + e.getMessage());
                  if (System.getenv("GRAPHGATE_DEBUG") != null) {
                    e.printStackTrace(commandLine.getErr());
                  }
                  return 1;
                })
            .execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"graphgate " + (version == null ? "development build" : version)};
    }
  }
}
