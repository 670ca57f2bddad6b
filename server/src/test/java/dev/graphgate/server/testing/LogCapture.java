package dev.graphgate.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every event the root logger sees while a test runs, as a JUnit extension: on an instance field it captures each test
 * on its own; on a static field, the whole class from before its {@code @BeforeAll} methods (a server's start log).
 * {@link #atLevel} lowers the root level for the capture (DEBUG, to see everything a secret could leak into) and puts
 * it back after.
 */
public final class LogCapture extends ClassOrTestScoped {
  private final Level level;
  private ListAppender<ILoggingEvent> appender;
  private Level before;

  private LogCapture(Level level) {
    this.level = level;
  }

  public static LogCapture root() {
    return new LogCapture(null);
  }

  public LogCapture atLevel(Level captureLevel) {
    return new LogCapture(captureLevel);
  }

  private static Logger rootLogger() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected void start() {
    appender = new ListAppender<>();
    appender.start();
    Logger root = rootLogger();
    root.addAppender(appender);
    before = root.getLevel();
    if (level != null) {
      root.setLevel(level);
    }
  }

  @Override
  protected void stop() {
    if (appender == null) {
      return;
    }
    Logger root = rootLogger();
    root.detachAppender(appender);
    root.setLevel(before);
    appender.stop();
    appender = null;
  }

  private ListAppender<ILoggingEvent> running() {
    if (appender == null) {
      throw new IllegalStateException("logs are captured only inside a test (register LogCapture with @RegisterExtension)");
    }
    return appender;
  }

  public List<ILoggingEvent> events() {
    return List.copyOf(running().list);
  }

  /** The formatted messages, in order. */
  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Every message and every logged stack trace, one after another: where a secret must not appear. */
  public String text() {
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : events()) {
      all.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    return all.toString();
  }

  /** Forgets what was captured so far (a class-wide capture, between tests). */
  public void clear() {
    running().list.clear();
  }
}
