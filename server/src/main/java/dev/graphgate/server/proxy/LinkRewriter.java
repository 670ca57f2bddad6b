package dev.graphgate.server.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites {@code "@odata.nextLink":"<from>...} and {@code "@odata.deltaLink":"<from>...} to start with {@code <to>}
 * while a JSON body streams through, holding back at most one pattern's length of bytes: so a page iterator that
 * follows links verbatim (Microsoft's SDKs) keeps talking to the proxy. Nothing else in the body changes.
 */
final class LinkRewriter extends OutputStream {
  private final OutputStream out;
  private final byte[][] patterns;
  private final byte[][] replacements;
  private final byte[] held;
  private int heldLength;

  LinkRewriter(OutputStream out, String from, String to) {
    this.out = out;
    String[] names = {"\"@odata.nextLink\":\"", "\"@odata.deltaLink\":\""};
    patterns = new byte[names.length][];
    replacements = new byte[names.length][];
    int longest = 0;
    for (int i = 0; i < names.length; i++) {
      patterns[i] = (names[i] + from).getBytes(StandardCharsets.UTF_8);
      replacements[i] = (names[i] + to).getBytes(StandardCharsets.UTF_8);
      longest = Math.max(longest, patterns[i].length);
    }
    held = new byte[longest];
  }

  @Override
  public void write(int b) throws IOException {
    held[heldLength++] = (byte) b;
    settle();
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int i = off;
    while (i < end) {
      if (heldLength == 0) {
        // Fast path: everything before the next quote cannot start a pattern.
        int quote = i;
        while (quote < end && b[quote] != '"') {
          quote++;
        }
        if (quote > i) {
          out.write(b, i, quote - i);
          i = quote;
          continue;
        }
      }
      held[heldLength++] = b[i++];
      settle();
    }
  }

  /** Emits what can no longer be the start of a pattern; replaces a completed pattern. */
  private void settle() throws IOException {
    while (heldLength > 0) {
      boolean prefix = false;
      for (int p = 0; p < patterns.length; p++) {
        int match = matchLength(patterns[p]);
        if (match == patterns[p].length) {
          out.write(replacements[p]);
          heldLength = 0;
          return;
        }
        if (match == heldLength) {
          prefix = true;
        }
      }
      if (prefix) {
        return;
      }
      out.write(held[0]);
      System.arraycopy(held, 1, held, 0, --heldLength);
    }
  }

  /** How many held bytes match the start of {@code pattern} (all of them, or the pattern's full length, means a hit). */
  private int matchLength(byte[] pattern) {
    int n = Math.min(heldLength, pattern.length);
    for (int i = 0; i < n; i++) {
      if (held[i] != pattern[i]) {
        return -1;
      }
    }
    return n;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Writes what is still held (the body ended inside a partial match) without closing the client's stream. */
  void finish() throws IOException {
    if (heldLength > 0) {
      out.write(held, 0, heldLength);
      heldLength = 0;
    }
  }
}
