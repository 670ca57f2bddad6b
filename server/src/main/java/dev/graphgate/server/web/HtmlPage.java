package dev.graphgate.server.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One HTML page for {@link HtmlResponses#send}: its status, its title, and its body as HTML that the page's builder
 * made from {@link Html#escape}d values. Pages carry no script, no inline style and no image; they are never framed,
 * post no form and load no script, unless built to:
 *
 * <ul>
 *   <li>{@link #postingForms()}: the page's forms may post back to Graphgate ({@code form-action 'self'});
 *   <li>{@link #framedBy(List)}: the switch for the one page that may be shown in a frame (the Connect UI, inside the
 *       customer's app): only those origins may frame it ({@code frame-ancestors}), and {@code X-Frame-Options} is
 *       left out, since it cannot name an origin. Every other page says {@code frame-ancestors 'none'} and
 *       {@code X-Frame-Options: DENY}.
 *   <li>{@link #withScript(String)}: the page loads a script file served by Graphgate itself ({@code script-src 'self'});
 *       inline script stays forbidden, so a value escaped into the page can never run.
 *   <li>{@link #asApplication(Application)}: the page is a small application (the Connect UI): its own stylesheet and
 *       module script instead of the built-in layout, Graphgate's images, and calls to Graphgate's API from the
 *       browser ({@code connect-src 'self'}: nothing else, so what the page holds can only go to Graphgate).
 * </ul>
 */
public record HtmlPage(int status, String title, String bodyHtml, List<String> frameAncestors, boolean postsForms, List<String> scripts,
    Optional<Application> application) {
  private static final java.util.regex.Pattern SCRIPT_PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._/-]+\\.js");
  private static final Pattern FILE_PATH = Pattern.compile("/[A-Za-z0-9._/-]+\\.(js|css)");

  /** A page's own design and code: the stylesheet and the module script at these absolute paths on Graphgate. */
  public record Application(String stylesheet, String module) {
    public Application {
      for (String path : List.of(stylesheet, module)) {
        if (!FILE_PATH.matcher(path).matches() || path.contains("..") || path.startsWith("//")) {
          throw new IllegalArgumentException("a page's stylesheet or script is a path on Graphgate's own origin: " + path);
        }
      }
    }
  }

  public HtmlPage {
    Objects.requireNonNull(title);
    Objects.requireNonNull(bodyHtml);
    frameAncestors = List.copyOf(frameAncestors);
    scripts = List.copyOf(scripts);
    Objects.requireNonNull(application);
  }

  public HtmlPage(int status, String title, String bodyHtml, List<String> frameAncestors, boolean postsForms, List<String> scripts) {
    this(status, title, bodyHtml, frameAncestors, postsForms, scripts, Optional.empty());
  }

  public static HtmlPage of(int status, String title, String bodyHtml) {
    return new HtmlPage(status, title, bodyHtml, List.of(), false, List.of(), Optional.empty());
  }

  public HtmlPage postingForms() {
    return new HtmlPage(status, title, bodyHtml, frameAncestors, true, scripts, application);
  }

  /** This page, loading the script at {@code path}: an absolute path on Graphgate's own origin, such as {@code /x/y.js}. */
  public HtmlPage withScript(String path) {
    if (!SCRIPT_PATH.matcher(path).matches() || path.contains("..") || path.startsWith("//")) {
      throw new IllegalArgumentException("a page's script is a .js path on Graphgate's own origin: " + path);
    }
    List<String> all = new java.util.ArrayList<>(scripts);
    all.add(path);
    return new HtmlPage(status, title, bodyHtml, frameAncestors, postsForms, all, application);
  }

  /** This page, as the application {@code app}: its body is sent as it is, without the built-in layout and heading. */
  public HtmlPage asApplication(Application app) {
    return new HtmlPage(status, title, bodyHtml, frameAncestors, postsForms, scripts, Optional.of(app));
  }

  /**
   * This page, allowed in frames of {@code origins} only: each an {@code https} origin (or {@code http} for this
   * machine), scheme, host and port, nothing else, so no value can widen the policy or break the header.
   */
  public HtmlPage framedBy(List<URI> origins) {
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("a framed page names the origins that may frame it");
    }
    return new HtmlPage(status, title, bodyHtml, origins.stream().map(HtmlPage::origin).toList(), postsForms, scripts, application);
  }

  /**
   * This page, allowed in a frame of any {@code https} page, and of {@code http} pages on this machine: for the page
   * that an app Graphgate is not told the origin of embeds.
   */
  public HtmlPage framedByAnyHttpsOrigin() {
    return new HtmlPage(status, title, bodyHtml, List.of("https:", "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"), postsForms,
        scripts, application);
  }

  private static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    boolean bare = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
        && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
    boolean loopback = host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    if (host == null || !bare || !(scheme.equals("https") || scheme.equals("http") && loopback) || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      throw new IllegalArgumentException("not an origin that may frame a page (https://host[:port]): " + uri);
    }
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
