package dev.graphgate.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifetime the test-support extensions share. Registered on a static field, JUnit calls {@code beforeAll}: what
 * the extension holds is started once for the class and stopped after its last test. On an instance field only the
 * per-test callbacks come: it is started before each test and stopped after it. {@link #beforeTest()} runs before
 * every test either way.
 */
abstract class ClassOrTestScoped implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private boolean perClass;
  private boolean started;

  protected abstract void start() throws Exception;

  protected abstract void stop() throws Exception;

  protected void beforeTest() {}

  @Override
  public final void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    begin();
  }

  @Override
  public final void beforeEach(ExtensionContext context) throws Exception {
    if (!started) {
      begin();
    }
    beforeTest();
  }

  @Override
  public final void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      end();
    }
  }

  @Override
  public final void afterAll(ExtensionContext context) throws Exception {
    end();
  }

  private void begin() throws Exception {
    started = true;
    start();
  }

  private void end() throws Exception {
    started = false;
    stop();
  }
}
