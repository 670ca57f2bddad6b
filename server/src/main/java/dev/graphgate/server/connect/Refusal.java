package dev.graphgate.server.connect;

/**
 * Why the admin consent callback refuses an answer: the link's state cannot be trusted for it. Each says what happened
 * in words for the tenant's admin; in every case nothing changes.
 */
enum Refusal {
  MISSING("This page was opened without the state that Graphgate puts in every admin consent link, so nothing says which "
      + "connection the answer is for."),
  NOT_ISSUED_HERE("The link's state was not issued by this Graphgate, or was changed on the way."),
  EXPIRED("The link has expired."),
  USED("The link was already used: each admin consent link works once."),
  OTHER_TENANT("Microsoft's answer names another tenant than the one the link was made for."),
  CONNECTION_CHANGED("The connection the link was made for has changed since (its tenant or its app)."),
  CONNECTION_GONE("The connection the link was made for no longer exists."),
  SESSION_EXPIRED("The link has expired: it worked only as long as the connect session it was made in."),
  SESSION_GONE("The connect session the link was made in has ended or expired."),
  INTEGRATION_CHANGED("The integration the link was made for no longer exists, or no longer holds the app the link named.");

  private final String explanation;

  Refusal(String explanation) {
    this.explanation = explanation;
  }

  String explanation() {
    return explanation;
  }

  /** Whether only a connect session's link can be refused for this (the advice then points back to the Connect UI). */
  boolean isAboutSessionLink() {
    return this == SESSION_EXPIRED || this == SESSION_GONE || this == INTEGRATION_CHANGED;
  }
}
