package dev.graphgate.server.upstream;

import java.time.Duration;

/**
 * What one call to Microsoft has done so far, over all its attempts (a proxied {@code $batch} whose throttled items
 * are sent again included): attempts made, retries spent (they count against the call's retry policy), and time spent
 * waiting at throttle gates and between attempts. For the request log; one per call, used by one thread at a time.
 */
public final class CallProgress {
  private int attempts;
  private int retries;
  private Duration waited = Duration.ZERO;

  public int attempts() {
    return attempts;
  }

  public int retries() {
    return retries;
  }

  public Duration waited() {
    return waited;
  }

  public void attempted() {
    attempts++;
  }

  void retried(int retriesNow) {
    retries = retriesNow;
  }

  public void waited(Duration d) {
    waited = waited.plus(d);
  }
}
