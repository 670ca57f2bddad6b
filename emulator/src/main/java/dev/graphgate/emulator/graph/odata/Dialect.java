package dev.graphgate.emulator.graph.odata;

/**
 * How a workload reads OData: the directory pages with {@code $skiptoken} and gates some operators behind advanced
 * queries; Outlook pages with {@code $skip}; OneDrive and SharePoint page with {@code $skiptoken} and take what they
 * can.
 */
public enum Dialect {
  DIRECTORY,
  OUTLOOK,
  DRIVE,
  SITES;

  boolean pagesWithSkip() {
    return this == OUTLOOK;
  }
}
