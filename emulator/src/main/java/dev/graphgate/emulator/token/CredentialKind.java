package dev.graphgate.emulator.token;

/** How the client proved who it is; tokens record it as {@code appidacr}. */
public enum CredentialKind {
  /** A client secret: {@code appidacr = "1"}. */
  SECRET("1"),
  /** A client assertion signed with a certificate's key: {@code appidacr = "2"}. */
  CERTIFICATE("2");

  private final String appIdAcr;

  CredentialKind(String appIdAcr) {
    this.appIdAcr = appIdAcr;
  }

  public String appIdAcr() {
    return appIdAcr;
  }
}
