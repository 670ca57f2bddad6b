package dev.graphgate.emulator.entra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.graphgate.emulator.directory.AppCertificate;
import dev.graphgate.emulator.directory.AppRegistration;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a certificate credential's client assertion (shared/reference/microsoft.md section 3): a JWT signed RS256 or
 * PS256 with the key of a certificate registered on the app, named by {@code x5t#S256} or {@code x5t}; {@code iss} and
 * {@code sub} both the client id; {@code aud} the token endpoint; {@code jti} present; now within {@code nbf..exp}
 * (five minutes of clock skew either way). {@code iat} is optional, as MSAL4J sends none; replayed {@code jti}s are
 * accepted, as Entra documents no replay check.
 */
final class ClientAssertionVerifier {

  /** The clock skew Entra tolerates on {@code nbf} and {@code exp}. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
  private static final DateTimeFormatter ENTRA_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ClientAssertionVerifier() {}

  /**
   * @param audienceAccepted whether an {@code aud} value names this tenant's token endpoint
   */
  static void verify(
      String assertion, String clientId, AppRegistration app, Predicate<String> audienceAccepted, Instant now) {
    SignedJWT jwt = parse(assertion);
    JWTClaimsSet claims = claims(jwt);
    JWSHeader header = jwt.getHeader();
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw EntraError.ASSERTION_INVALID.with(
          "The client assertion is signed with '" + header.getAlgorithm() + "'; it must be signed RS256 or PS256.");
    }
    AppCertificate certificate = certificate(header, app);
    if (!certificate.isValidAt(now)) {
      throw EntraError.ASSERTION_SIGNATURE_INVALID.with("The key used is expired.", hexThumbprint(certificate), app.appId());
    }
    if (!signatureValid(jwt, certificate)) {
      throw EntraError.ASSERTION_SIGNATURE_INVALID.with(
          "Key was found, but use of the key to verify the signature failed.", hexThumbprint(certificate), app.appId());
    }
    String issuer = claims.getIssuer();
    String subject = claims.getSubject();
    if (issuer == null || subject == null || !issuer.equals(subject)) {
      throw EntraError.ASSERTION_SUBJECT_MISMATCH.with();
    }
    if (!issuer.equalsIgnoreCase(clientId)) {
      throw EntraError.ASSERTION_ISSUER_MISMATCH.with();
    }
    List<String> audiences = claims.getAudience();
    if (audiences.isEmpty() || audiences.stream().noneMatch(audienceAccepted)) {
      throw EntraError.ASSERTION_INVALID.with(
          "The client assertion's audience " + audiences + " is not this tenant's token endpoint.");
    }
    if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
      throw EntraError.ASSERTION_INVALID.with("The client assertion has no 'jti' claim.");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw EntraError.ASSERTION_INVALID.with("The client assertion has no 'exp' claim.");
    }
    Instant expiry = exp.toInstant();
    Optional<Instant> notBefore = Optional.ofNullable(claims.getNotBeforeTime()).map(Date::toInstant);
    boolean early = notBefore.map(nbf -> now.isBefore(nbf.minus(CLOCK_SKEW))).orElse(false);
    boolean late = !now.isBefore(expiry.plus(CLOCK_SKEW));
    if (early || late) {
      throw EntraError.ASSERTION_OUTSIDE_TIME_RANGE.with(
          ENTRA_TIME.format(now),
          notBefore.map(ENTRA_TIME::format).orElse("(no nbf)"),
          ENTRA_TIME.format(expiry));
    }
  }

  private static SignedJWT parse(String assertion) {
    try {
      return SignedJWT.parse(assertion.strip());
    } catch (ParseException | IllegalArgumentException e) {
      throw EntraError.ASSERTION_INVALID.with(
          "The client assertion is not a signed JWT (three base64url parts: header, claims, signature).");
    }
  }

  private static JWTClaimsSet claims(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw EntraError.ASSERTION_INVALID.with("The client assertion's claims are not a valid JSON object.");
    }
  }

  /** By {@code x5t#S256}, else {@code x5t}; some clients put the thumbprint in {@code kid} only. */
  private static AppCertificate certificate(JWSHeader header, AppRegistration app) {
    Optional<String> s256 = Optional.ofNullable(header.getX509CertSHA256Thumbprint()).map(b -> canonical(b.toString()));
    @SuppressWarnings("deprecation")
    Optional<String> sha1 = Optional.ofNullable(header.getX509CertThumbprint()).map(b -> canonical(b.toString()));
    Optional<String> kid = Optional.ofNullable(header.getKeyID()).map(ClientAssertionVerifier::canonical);
    Optional<AppCertificate> found =
        s256.flatMap(app::certificateByX5tS256)
            .or(() -> sha1.flatMap(app::certificateByX5t))
            .or(() -> kid.flatMap(app::certificateByX5t))
            .or(() -> kid.flatMap(app::certificateByX5tS256));
    if (found.isPresent()) {
      return found.get();
    }
    String thumbprint = s256.or(() -> sha1).or(() -> kid).map(ClientAssertionVerifier::hex).orElse("");
    String reason = thumbprint.isEmpty() ? "The assertion names no key: send x5t#S256 or x5t." : "The key was not found.";
    throw EntraError.ASSERTION_SIGNATURE_INVALID.with(reason, thumbprint, app.appId());
  }

  /**
   * Thumbprints compare as base64url without padding: MSAL4J pads its {@code x5t#S256} ({@code Base64.getUrlEncoder()}),
   * others send plain base64.
   */
  static String canonical(String thumbprint) {
    String value = thumbprint.strip().replace('+', '-').replace('/', '_');
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == '=') {
      end--;
    }
    return value.substring(0, end);
  }

  private static boolean signatureValid(SignedJWT jwt, AppCertificate certificate) {
    try {
      return jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.publicKey()));
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
  }

  private static String hexThumbprint(AppCertificate certificate) {
    return hex(certificate.x5t());
  }

  /** Entra prints thumbprints as upper-case hex. */
  private static String hex(String base64url) {
    try {
      return HexFormat.of().withUpperCase().formatHex(new Base64URL(base64url).decode());
    } catch (RuntimeException e) {
      return base64url.length() > 64 ? base64url.substring(0, 64) : base64url;
    }
  }
}
