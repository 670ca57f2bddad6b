package dev.graphgate.server.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes a client's request body to the HTTP client as it arrives, reading it on a virtual thread of its own. The
 * JDK's {@code BodyPublishers.ofInputStream} reads inside {@code request(n)}, on whatever thread asks, and the proxy's
 * HTTP client runs its tasks on its selector thread (see {@link UpstreamCall}): a slow uploader would stall every
 * exchange. Here {@code request(n)} only adds demand; the reader blocks on the client's socket, never the selector.
 * One chunk of at most {@value #CHUNK} bytes is read per unit of demand, so memory stays constant.
 */
final class StreamingPublisher implements Flow.Publisher<ByteBuffer> {
  static final int CHUNK = 16 * 1024;

  private final InputStream in;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  StreamingPublisher(InputStream in) {
    this.in = in;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      subscriber.onError(new IllegalStateException("a streamed request body can be sent only once"));
      return;
    }
    Reader reader = new Reader(subscriber);
    subscriber.onSubscribe(reader);
    Thread.ofVirtual().name("graphgate-upload").start(reader);
  }

  private final class Reader implements Flow.Subscription, Runnable {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final Semaphore demand = new Semaphore(0);
    private volatile boolean cancelled;
    private volatile Thread thread;

    Reader(Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancelled = true;
        subscriber.onError(new IllegalArgumentException("non-positive demand: " + n));
        return;
      }
      // Demand beyond what the semaphore can count is as good as unbounded.
      int add = (int) Math.min(n, Integer.MAX_VALUE / 2);
      if (demand.availablePermits() < Integer.MAX_VALUE / 2) {
        demand.release(add);
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
    }

    @Override
    public void run() {
      thread = Thread.currentThread();
      try {
        byte[] buffer = new byte[CHUNK];
        while (!cancelled) {
          demand.acquire();
          int n = in.read(buffer);
          if (n < 0) {
            if (!cancelled) {
              subscriber.onComplete();
            }
            return;
          }
          if (!cancelled && n > 0) {
            subscriber.onNext(ByteBuffer.wrap(Arrays.copyOf(buffer, n)));
          } else if (n == 0) {
            demand.release();
          }
        }
      } catch (InterruptedException e) {
        // cancelled
      } catch (IOException e) {
        if (!cancelled) {
          subscriber.onError(e);
        }
      }
    }
  }
}
