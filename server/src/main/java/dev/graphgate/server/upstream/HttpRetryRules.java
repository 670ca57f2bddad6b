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
  /** The range {@code Retry-On} may name: errors. A success or a redirect is an answer, never a reason to send again. */
  public static final int MIN_RETRY_ON = 400;
  public static final int MAX_RETRY_ON = 599;

  public HttpRetryRules {
    retryOn = Set.copyOf(retryOn);
  }

  public static boolean isRetryableStatus(int status) {
    return status >= MIN_RETRY_ON && status <= MAX_RETRY_ON;
  }

  /** Never true for a 1xx, 2xx or 3xx, whatever {@code retryOn} holds (the header is checked too; this is the backstop). */
  public boolean retriesStatus(int status, boolean idempotent) {
    if (!isRetryableStatus(status)) {
      return false;
    }
    return status == 429 || retryOn.contains(status) || (idempotent && (status == 503 || status == 504));
  }

  /** Why a failed exchange is not tried again, or null when it may be. {@code sent}: upstream may have received it. */
  public String refusesTransportRetry(boolean sent, boolean idempotent) {
    return sent && !idempotent ? "the request may have been processed and is not idempotent" : null;
  }
}
