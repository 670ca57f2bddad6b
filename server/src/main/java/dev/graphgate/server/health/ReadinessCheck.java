package dev.graphgate.server.health;

/**
 * One thing an instance needs before it can serve, as {@code GET /health/ready} reports it. A check returns normally
 * when ready and throws, with a message a person can act on, when not; {@link Readiness} bounds how long it may take.
 */
public interface ReadinessCheck {

  /** The check's stable name in the report, such as {@code database}. */
  String name();

  void check() throws Exception;

  static ReadinessCheck of(String name, Check check) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check() throws Exception {
        check.run();
      }
    };
  }

  /** The body of a check. */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }
}
