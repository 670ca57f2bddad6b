package dev.graphgate.emulator.graph.odata;

/**
 * A collection's page sizes: {@code defaultTop} without {@code $top}, {@code maxTop} at most. Directory collections
 * refuse a larger {@code $top} (400), the others serve {@code maxTop} (shared/reference/microsoft.md section 9).
 */
public record Paging(int defaultTop, int maxTop) {

  public static final Paging DIRECTORY = new Paging(100, 999);
  public static final Paging OUTLOOK = new Paging(10, 1000);
  public static final Paging DRIVE = new Paging(200, 1000);
  public static final Paging SITES = new Paging(200, 1000);
  /** Delta pages of directory objects ({@code $top} is ignored there). */
  public static final Paging DIRECTORY_DELTA = new Paging(100, 100);
}
