package dev.graphgate.server.api;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Stopping the HTTP server without cutting requests off: {@link #drain} closes the listening socket (a new connection
 * is refused) and waits, up to a grace period, until every request in flight has sent its whole response; a request
 * that arrives on an already open connection meanwhile is answered {@code 503 shutting_down} before any route runs.
 * {@link #stop} then closes what is left.
 */
public final class GracefulStop {

  /** How long an idle connection stays open once the server drains. */
  static final Duration QUIET = Duration.ofMillis(250);

  private GracefulStop() {}

  /** Counts requests in flight; installed by {@link ApiServer} around every route. */
  static void install(Server server) {
    server.insertHandler(new GracefulHandler());
    // The drain is ours (drain, then stop): Jetty's own stop must not wait a second time.
    server.setStopTimeout(0);
  }

  /**
   * Stops accepting and waits, at most {@code grace}, for the requests in flight and for the open connections to end:
   * an idle keep-alive connection is closed after {@link #QUIET}, and a request already on its way on one is answered
   * ({@code 503 shutting_down}) rather than cut off.
   *
   * @return how many requests were still running when the grace ran out (0: all finished)
   */
  public static long drain(Javalin http, Duration grace) throws InterruptedException {
    Server server = http.jettyServer().server();
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof AbstractConnector c) {
        c.setShutdownIdleTimeout(QUIET.toMillis());
      }
    }
    try {
      // Closes the listening sockets (a new connection is refused), marks answers "Connection: close", and completes
      // once no request is in flight and no connection is open.
      Graceful.shutdown(server).get(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
      return 0;
    } catch (TimeoutException e) {
      return inFlight(server);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the HTTP server could not drain: " + e.getCause(), e.getCause());
    }
  }

  /** Requests being handled right now. */
  public static long inFlight(Javalin http) {
    return inFlight(http.jettyServer().server());
  }

  private static long inFlight(Server server) {
    GracefulHandler handler = server.getDescendant(GracefulHandler.class);
    return handler == null ? 0 : handler.getCurrentRequestCount();
  }

  /** Closes the remaining connections and stops the server. */
  public static void stop(Javalin http) {
    http.stop();
  }
}
