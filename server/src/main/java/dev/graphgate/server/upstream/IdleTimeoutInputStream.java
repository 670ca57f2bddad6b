package dev.graphgate.server.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An upstream answer's body that gives up when no byte arrives for {@code idle}. The HTTP client's timeout ends when
 * the headers arrive; without this, a body that stalls midway would hold its caller, and its place at the throttle
 * gates, for as long as the connection stays open. A read that waits too long is interrupted (the JDK client's stream
 * then throws) and fails with an {@link IOException}, so the client sees a broken answer.
 */
final class IdleTimeoutInputStream extends FilterInputStream {
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private final long idleNanos;
  private final Object lock = new Object();
  private Thread reader; // guarded by lock: the thread inside read(), if any
  private boolean expired; // guarded by lock

  IdleTimeoutInputStream(InputStream in, Duration idle) {
    super(in);
    this.idleNanos = idle.toNanos();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    synchronized (lock) {
      reader = Thread.currentThread();
      expired = false;
    }
    ScheduledFuture<?> alarm = WATCHDOG.schedule(this::expire, idleNanos, TimeUnit.NANOSECONDS);
    boolean timedOut;
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      synchronized (lock) {
        timedOut = expired;
      }
      if (timedOut) {
        throw new IOException("no data from upstream for " + Duration.ofNanos(idleNanos).toMillis() + " ms", e);
      }
      throw e;
    } finally {
      alarm.cancel(false);
      synchronized (lock) {
        reader = null;
        if (expired) {
          // The alarm interrupted this thread: clear it, whether or not the read noticed, so it reaches nothing else.
          Thread.interrupted();
        }
      }
    }
  }

  @Override
  public long skip(long n) throws IOException {
    // Through read(), so a stalled body cannot hold a discard either.
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 16 * 1024)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  private void expire() {
    synchronized (lock) {
      if (reader != null) {
        expired = true;
        reader.interrupt();
      }
    }
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "graphgate-upstream-watchdog");
      t.setDaemon(true);
      return t;
    });
    // Nearly every alarm is cancelled: drop them from the queue at once rather than when they would have fired.
    e.setRemoveOnCancelPolicy(true);
    return e;
  }
}
