package dev.graphgate.server.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The encryption keys of an embedded installation, in {@code <data dir>/encryption.keys}: one base64 key per line,
 * the first seals new values, the others only open old ones. Written with owner-only permissions.
 */
public final class KeyFile {
  public static final String FILE_NAME = "encryption.keys";

  private final Path path;

  public KeyFile(Path dataDir) {
    this.path = dataDir.resolve(FILE_NAME);
  }

  public Path path() {
    return path;
  }

  public boolean exists() {
    return Files.exists(path);
  }

  /** Current key first. */
  public List<EncryptionKey> read() {
    try {
      List<EncryptionKey> keys = new ArrayList<>();
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          keys.add(EncryptionKey.fromBase64(l));
        }
      }
      if (keys.isEmpty()) {
        throw new IllegalStateException(path + " holds no key; restore it from a backup, or remove it only if the database is new");
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Creates the file with one new key; fails if it exists, so two starts never write different keys. */
  public EncryptionKey create(SecureRandom random) {
    EncryptionKey key = EncryptionKey.generate(random);
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, render(List.of(key)), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ownerOnly(path);
      return key;
    } catch (FileAlreadyExistsException e) {
      return read().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** Replaces the file atomically with these keys, current first. */
  public void write(List<EncryptionKey> keys) {
    try {
      Path tmp = path.resolveSibling(FILE_NAME + ".tmp");
      Files.deleteIfExists(tmp);
      Files.writeString(tmp, render(keys), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ownerOnly(tmp);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  private static String render(List<EncryptionKey> keys) {
    StringBuilder sb = new StringBuilder("# Graphgate encryption keys: the first line seals new secrets, later lines only open old ones.\n"
        + "# Losing this file loses every stored client secret, private key and token. Back it up with the database.\n");
    keys.forEach(k -> sb.append(k.toBase64()).append('\n'));
    return sb.toString();
  }

  private static void ownerOnly(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system (Windows): the directory's ACL applies
    }
  }
}
