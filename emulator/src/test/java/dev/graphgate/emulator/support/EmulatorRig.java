package dev.graphgate.emulator.support;

import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulator for a test class, as a JUnit extension on a static field: started on free ports before the class's
 * first test, closed after its last, with a {@link Scenario} speaking to it over {@link Http}. Tests share it safely
 * because each makes its own tenant and app.
 */
public final class EmulatorRig implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<EmulatorConfig> config;
  private Emulator emulator;
  private Scenario scenario;

  private EmulatorRig(Supplier<EmulatorConfig> config) {
    this.config = config;
  }

  public static EmulatorRig ephemeral() {
    return new EmulatorRig(EmulatorConfig::ephemeral);
  }

  /** An emulator configured by the test (a clock, a token reuse window...), read when it starts. */
  public static EmulatorRig with(Supplier<EmulatorConfig> config) {
    return new EmulatorRig(config);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    emulator = Emulator.start(config.get());
    scenario = new Scenario(emulator, Http.client());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (emulator != null) {
        emulator.close();
      }
    } finally {
      emulator = null;
      scenario = null;
    }
  }

  public Emulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("the emulator runs only inside a test class that registers EmulatorRig on a static field");
    }
    return emulator;
  }

  public Scenario scenario() {
    emulator();
    return scenario;
  }
}
