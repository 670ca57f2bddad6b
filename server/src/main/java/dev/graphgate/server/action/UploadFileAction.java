package dev.graphgate.server.action;

import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.graph.GraphWrite;
import dev.graphgate.server.graph.RequiredPermission;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code upload-file}: writes a small file into a user's OneDrive by path, in one request
 * ({@code PUT /users/{userId}/drive/root:/{path}:/content}); a file already there is replaced (a new version), and
 * the folders of the path must exist. At most {@value #MAX_BYTES} bytes (4 MiB) after decoding: larger files need an
 * upload session, which this action does not do. The output is the drive item's {@code id}, {@code name},
 * {@code size}, {@code webUrl} and {@code eTag}, as Graph gave them.
 */
final class UploadFileAction implements PreBuiltAction {
  static final int MAX_BYTES = 4 * 1024 * 1024;
  /** Characters OneDrive refuses in a name. */
  private static final Pattern NOT_IN_NAME = Pattern.compile("[\"*:<>?\\\\|\\p{Cntrl}]");
  private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;\\s*[A-Za-z0-9_.-]+=[A-Za-z0-9_.+-]+)*");
  private static final List<String> OUTPUT = List.of("id", "name", "size", "webUrl", "eTag");

  @Override
  public String name() {
    return "upload-file";
  }

  @Override
  public RequiredPermission permission() {
    return RequiredPermission.anyOf("Files.ReadWrite.All", "Sites.ReadWrite.All");
  }

  @Override
  public Set<String> fields() {
    return Set.of("userId", "path", "content", "encoding", "contentType");
  }

  @Override
  public Prepared prepare(ActionInput in, String graphOrigin) {
    String user = in.requiredId("userId");
    String path = in.requiredString("path", 1, 400);
    List<String> segments = path == null ? List.of() : segments(in, path);
    String content = in.requiredString("content", 0, MAX_BYTES * 2);
    String encoding = in.oneOf("encoding", List.of("text", "base64")).orElse("text");
    String type = in.string("contentType", 3, 255).orElse(null);
    if (type != null && !MEDIA_TYPE.matcher(type).matches()) {
      in.error(FieldError.Kind.INVALID_STRING, "Invalid contentType: expected a media type such as text/csv or application/pdf", "contentType");
    }
    byte[] bytes = null;
    if (content != null) {
      if (encoding.equals("base64")) {
        try {
          bytes = Base64.getDecoder().decode(content);
        } catch (IllegalArgumentException e) {
          in.error(FieldError.Kind.INVALID_STRING, "Invalid base64: expected the file's bytes in standard base64 (RFC 4648)", "content");
        }
      } else {
        bytes = content.getBytes(StandardCharsets.UTF_8);
      }
      if (bytes != null && bytes.length > MAX_BYTES) {
        in.error(FieldError.Kind.TOO_BIG, "Too big: a file uploaded by this action is at most " + MAX_BYTES + " bytes (4 MiB); got " + bytes.length,
            "content");
      }
    }
    if (in.hasErrors()) {
      return null;
    }
    String contentType = type != null ? type : encoding.equals("text") ? "text/plain; charset=utf-8" : "application/octet-stream";
    List<String> encoded = new ArrayList<>();
    segments.forEach(s -> encoded.add(GraphPaths.segment(s)));
    return new Prepared(new GraphWrite("PUT", GraphPaths.user(user) + "/drive/root:/" + String.join("/", encoded) + ":/content", contentType, bytes),
        applied -> CreateEventAction.pick(applied.body().orElse(null), OUTPUT));
  }

  /** The path's folders and file name: none empty, {@code .} or {@code ..}, longer than 255 or with a character OneDrive refuses. */
  private static List<String> segments(ActionInput in, String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    List<String> out = new ArrayList<>();
    for (String s : trimmed.split("/", -1)) {
      if (s.isEmpty() || s.equals(".") || s.equals("..") || s.length() > 255 || NOT_IN_NAME.matcher(s).find() || s.endsWith(" ") || s.endsWith(".")) {
        in.error(FieldError.Kind.INVALID_STRING, "Invalid path: expected folder/…/file.ext below the drive's root, each name 1 to 255 characters,"
            + " not . or .., not ending in a dot or space, without \" * : < > ? \\ | or control characters", "path");
        return List.of();
      }
      out.add(s);
    }
    return out;
  }
}
