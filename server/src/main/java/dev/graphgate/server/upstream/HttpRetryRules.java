package dev.graphgate.server.upstream;

import java.util.Set;

/**
 * Which HTTP outcomes of a call to Microsoft are worth another attempt; how many and when is the {@link RetryPolicy}'s
 * to say.
 *
 * <ul>
 *   <li>429: for every method, since Microsoft did not process the request;
 *   <li>503 and 504: for idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, and a {@code $batch} of reads);
 *   <li>error statuses the caller listed ({@code Retry-On}): for every method, as the caller asked; a success or a
 *       redirect is never sent again, whatever the list says;
 *   <li>a connection that could not be opened: for every method (nothing was sent); one that failed after sending, or
 *       timed out: for idempotent requests only.
 * </ul>
 */
public record HttpRetryRules(Set<Integer> retryOn) {
  public static final HttpRetryRules DEFAULT = new HttpRetryRules(Set.of());

  public HttpRetryRules {
    retryOn = Set.copyOf(retryOn);
  }

  public boolean retriesStatus(int status, boolean idempotent) {
    if (status < 400) {
      return false;
    }
    return status == 429 || retryOn.contains(status) || (idempotent && (status == 503 || status == 504));
  }

  /** Why a failed exchange is not tried again, or null when it may be. {@code sent}: upstream may have received it. */
  public String refusesTransportRetry(boolean sent, boolean idempotent) {
    return sent && !idempotent ? "the request may have been processed and is not idempotent" : null;
  }
}
