package dev.graphgate.server.provider;

/** How a provider's connections authenticate, with Nango's names. */
public enum AuthMode {
  /** Client credentials with a client secret ({@code microsoft-oauth2-cc}). */
  OAUTH2_CC,
  /** Client credentials with a certificate: a signed client assertion ({@code microsoft-oauth2-cc-cert}). */
  TWO_STEP
}
