package dev.graphgate.server.web;

import dev.graphgate.server.GraphgateException.NotFound;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The script and stylesheet files of Graphgate's pages, served from one folder of the server's resources. A name is a
 * plain file name ({@code connect.js}), so no request reaches outside that folder; a file is read once and kept.
 * Browsers revalidate each file on use ({@code no-cache} with an ETag), so a new version of Graphgate is picked up at
 * once while an unchanged file costs a 304.
 */
public final class StaticAssets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|svg)");
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");

  private final Class<?> anchor;
  private final String folder;
  /** Only files found are kept: a request for a name that is not there must not grow this map. */
  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

  private record Asset(byte[] bytes, String type, String etag) {}

  /** The files in {@code folder}, a resource folder relative to {@code anchor}'s package (e.g. {@code ui/}). */
  public StaticAssets(Class<?> anchor, String folder) {
    this.anchor = anchor;
    this.folder = folder.endsWith("/") ? folder : folder + "/";
  }

  /** Sends the file {@code name}, or answers {@code 404 not_found} when there is no such file. */
  public void send(Context ctx, String name) {
    Asset asset = find(name).orElseThrow(() -> new NotFound("No file " + name));
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.etag());
    // A file is for Graphgate's own pages: others may not embed it, and an SVG opened directly runs nothing.
    ctx.header("Cross-Origin-Resource-Policy", "same-origin");
    ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    String seen = ctx.header("If-None-Match");
    if (seen != null && seen.equals(asset.etag())) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType(asset.type()).result(asset.bytes());
  }

  /** True when {@code name} is a file of this folder. */
  public boolean has(String name) {
    return find(name).isPresent();
  }

  private Optional<Asset> find(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    Asset known = loaded.get(name);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Asset> read = read(name, TYPES.get(m.group(1)));
    read.ifPresent(a -> loaded.put(name, a));
    return read;
  }

  private Optional<Asset> read(String name, String type) {
    try (InputStream in = anchor.getResourceAsStream(folder + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, type, "\"" + sha256(bytes) + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + folder + name + " from the server jar", e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
