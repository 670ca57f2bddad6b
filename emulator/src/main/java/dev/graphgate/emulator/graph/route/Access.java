package dev.graphgate.emulator.graph.route;

/** Whether a route reads or writes; permissions and throttling budgets differ for the two. */
public enum Access {
  READ,
  WRITE
}
