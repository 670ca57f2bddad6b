package dev.graphgate.emulator.graph.generate;

import dev.graphgate.emulator.graph.store.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The bytes of a generated file, computed block by block from a seed: any range of a file of any size can be produced
 * without holding more than one 64 KiB block, so a 10 GB download streams in constant memory. Text types get printable
 * lines, other types pseudo-random bytes.
 */
public final class FileContent {

  static final int BLOCK = 64 * 1024;
  private static final byte[] TEXT = "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ .,".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final long seed;
  private final long length;
  private final boolean text;

  public FileContent(long seed, long length, String name) {
    this.seed = seed;
    this.length = length;
    this.text = isText(name);
  }

  public long length() {
    return length;
  }

  /** Writes bytes {@code [from, to)} to {@code out}. */
  public void write(OutputStream out, long from, long to) throws IOException {
    byte[] block = new byte[BLOCK];
    long position = from;
    while (position < to) {
      long blockIndex = position / BLOCK;
      fill(blockIndex, block);
      int offset = (int) (position - blockIndex * BLOCK);
      int count = (int) Math.min(BLOCK - offset, to - position);
      out.write(block, offset, count);
      position += count;
    }
  }

  private void fill(long blockIndex, byte[] block) {
    SplittableRandom random = new SplittableRandom(Hashing.hash(seed, blockIndex));
    random.nextBytes(block);
    if (text) {
      long base = blockIndex * BLOCK;
      for (int i = 0; i < block.length; i++) {
        block[i] = (base + i) % 81 == 80 ? (byte) '\n' : TEXT[(block[i] & 0x7f) % TEXT.length];
      }
    }
  }

  static boolean isText(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".txt") || lower.endsWith(".csv") || lower.endsWith(".md");
  }

  public static String mimeType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String ext = dot < 0 ? "" : lower.substring(dot);
    return switch (ext) {
      case ".docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
      case ".xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      case ".pptx" -> "application/vnd.openxmlformats-officedocument.presentationml.presentation";
      case ".pdf" -> "application/pdf";
      case ".txt" -> "text/plain";
      case ".csv" -> "text/csv";
      case ".md" -> "text/markdown";
      case ".png" -> "image/png";
      case ".json" -> "application/json";
      default -> "application/octet-stream";
    };
  }
}
