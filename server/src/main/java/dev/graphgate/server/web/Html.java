package dev.graphgate.server.web;

/** Escaping for text put into HTML, element content and attribute values alike. */
public final class Html {
  private Html() {}

  /** {@code s} as HTML text: {@code & < > " '} escaped; null is empty. Everything a URL or a caller can carry goes through here. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A paragraph of plain text. */
  public static String p(String text) {
    return "<p>" + escape(text) + "</p>";
  }

  /** Inline code: an id, a permission, an error code. */
  public static String code(String text) {
    return "<code>" + escape(text) + "</code>";
  }
}
