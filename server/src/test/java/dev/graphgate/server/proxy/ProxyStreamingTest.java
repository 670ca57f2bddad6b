package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.testing.Gate;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestUpstream;
import dev.graphgate.server.testing.TestUpstream.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bodies stream both ways in constant memory, measured: the transfer is paused most of the way through, the heap is
 * collected and measured, and it must not have grown by anything like what has passed through. (Proxy, upstream and
 * client share this JVM, so the measurement covers all three; a proxy that buffered would show the whole body.)
 */
class ProxyStreamingTest {
  static final long MB = 1024 * 1024;
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withUpstream();

  @Test
  void a200MegabyteDownloadDoesNotGrowTheHeapByItsSize() throws Exception {
    long size = 200 * MB;
    rig.upstream().answer(r -> Reply.bytes(200, "application/octet-stream", TestUpstream.generated(size), size));
    long before = settledHeap();
    HttpResponse<InputStream> r = CLIENT.send(rig.proxy("/v1.0/drives/d1/items/i1/content").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("content-length")).hasValue(size);
    long read;
    long grewBy;
    try (InputStream in = r.body()) {
      read = readExactly(in, 150 * MB);
      grewBy = settledHeap() - before;
      read += in.transferTo(OutputStreams.NULL);
    }
    System.out.printf("200 MB download: heap grew by %.1f MB with 150 MB through%n", grewBy / (double) MB);
    assertThat(read).isEqualTo(size);
    assertThat(grewBy).as("heap growth with 150 MB through, in bytes").isLessThan(32 * MB);
  }

  @Test
  void a50MegabyteUploadDoesNotGrowTheHeapByItsSize() throws Exception {
    long size = 50 * MB;
    rig.upstream().discardBodies();
    rig.upstream().answer(r -> Reply.json(201, "{\"received\":" + r.bodyLength() + "}"));
    Gate pause = new Gate();
    InputStream body = new PausingStream(TestUpstream.generated(size), 40 * MB, pause);
    long before = settledHeap();
    var sending = CLIENT.sendAsync(rig.proxy("/v1.0/drives/d1/items/root:/big.bin:/content").header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size)).build(),
        HttpResponse.BodyHandlers.ofString());
    pause.awaitArrival(Duration.ofSeconds(60));
    long grewBy = settledHeap() - before;
    pause.open();
    HttpResponse<String> r = sending.get(60, TimeUnit.SECONDS);

    System.out.printf("50 MB upload: heap grew by %.1f MB with 40 MB sent%n", grewBy / (double) MB);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).isEqualTo("{\"received\":" + size + "}");
    assertThat(rig.upstream().last().header("Content-Length")).isEqualTo(String.valueOf(size));
    assertThat(grewBy).as("heap growth with 40 MB sent, in bytes").isLessThan(16 * MB);
  }

  @Test
  void aStalledUploadDoesNotHoldUpOtherCalls() throws Exception {
    rig.upstream().discardBodies();
    rig.upstream().answer(r -> Reply.json(200, "{\"received\":" + r.bodyLength() + "}"));
    Gate pause = new Gate();
    long size = 8 * MB;
    InputStream body = new PausingStream(TestUpstream.generated(size), 3 * MB, pause);
    var upload = CLIENT.sendAsync(rig.proxy("/v1.0/drives/d1/items/root:/slow.bin:/content")
        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), size)).build(),
        HttpResponse.BodyHandlers.ofString());
    pause.awaitArrival();
    // The upload stays paused until these calls are done: calls held up behind it would never answer. The timeout only
    // turns such a hang into a failure; nothing here measures speed.
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = CLIENT.send(rig.proxy("/v1.0/users?$top=" + i).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(rig.upstream().last().rawQuery()).isEqualTo("$top=" + i);
    }
    assertThat(upload).as("the upload is still paused, so the calls overtook it").isNotDone();
    pause.open();
    assertThat(upload.get(60, TimeUnit.SECONDS).body()).isEqualTo("{\"received\":" + size + "}");
  }

  @Test
  void aChunkedUploadLargerThanTheReplayBufferStreamsThrough() throws Exception {
    long size = 5 * MB;
    rig.upstream().discardBodies();
    rig.upstream().answer(r -> Reply.json(200, "{\"received\":" + r.bodyLength() + "}"));
    HttpResponse<String> r = CLIENT.send(rig.proxy("/v1.0/drives/d1/items/root:/chunked.bin:/content")
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> TestUpstream.generated(size))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("{\"received\":" + size + "}");
  }

  @Test
  void decompressTrueDeliversTheBodyDecodedAndFalseAsUpstreamSentIt() throws Exception {
    byte[] json = "{\"value\":[{\"id\":\"1\",\"displayName\":\"Ann\"}]}".getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(json);
    }
    byte[] gzipped = zipped.toByteArray();
    rig.upstream().answer(r -> new Reply(200, java.util.Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
        new java.io.ByteArrayInputStream(gzipped), gzipped.length, false));

    HttpResponse<byte[]> decoded = CLIENT.send(rig.proxy("/v1.0/users").header("Decompress", "true").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(decoded.body()).isEqualTo(json);
    assertThat(decoded.headers().firstValue("content-encoding")).isEmpty();
    assertThat(rig.upstream().last().header("Accept-Encoding")).isEqualTo("gzip");

    HttpResponse<byte[]> raw = CLIENT.send(rig.proxy("/v1.0/users").header("Accept-Encoding", "gzip").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(raw.body()).isEqualTo(gzipped);
    assertThat(raw.headers().firstValue("content-encoding")).hasValue("gzip");
  }

  @Test
  void anUpstreamBodyThatBreaksOffBreaksTheClientsResponseToo() {
    long size = 4 * MB;
    rig.upstream().answer(r -> Reply.bytes(200, "application/octet-stream", TestUpstream.generated(size), size).droppingMidBody());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      HttpResponse<InputStream> r = CLIENT.send(rig.proxy("/v1.0/drives/d1/items/i2/content").GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        in.transferTo(OutputStreams.NULL);
      }
    }).isInstanceOf(IOException.class);
  }

  /** Used heap after collections have settled. */
  static long settledHeap() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static long readExactly(InputStream in, long n) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long read = 0;
    while (read < n) {
      int k = in.read(buffer, 0, (int) Math.min(buffer.length, n - read));
      if (k < 0) {
        break;
      }
      read += k;
    }
    return read;
  }

  /** Hands out {@code source}, stopping once at {@code pauseAt} bytes until told to go on. */
  static final class PausingStream extends InputStream {
    private final InputStream source;
    private final long pauseAt;
    private final Gate pause;
    private long given;

    PausingStream(InputStream source, long pauseAt, Gate pause) {
      this.source = source;
      this.pauseAt = pauseAt;
      this.pause = pause;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (given >= pauseAt && !pause.hasArrival()) {
        pause.pass();
        if (Thread.currentThread().isInterrupted()) {
          throw new IOException("interrupted while paused");
        }
      }
      int n = source.read(b, off, (int) Math.min(len, given < pauseAt ? pauseAt - given : len));
      if (n > 0) {
        given += n;
      }
      return n;
    }
  }

  /** A sink for bytes read only to be counted. */
  static final class OutputStreams {
    static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
  }
}
