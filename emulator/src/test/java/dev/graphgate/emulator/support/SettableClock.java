package dev.graphgate.emulator.support;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand, so expiry and throttling windows pass without sleeping. */
public final class SettableClock implements InstantSource {

  private final AtomicReference<Instant> now;

  public SettableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  public void tick(Duration duration) {
    now.updateAndGet(i -> i.plus(duration));
  }

  public void set(Instant instant) {
    now.set(instant);
  }
}
