package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The link rewriter on a stream, whatever the chunk boundaries. */
class LinkRewriterTest {
  static final String FROM = "https://graph.microsoft.com/";
  static final String TO = "http://localhost:3003/proxy/";

  static String rewrite(String json, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LinkRewriter w = new LinkRewriter(out, FROM, TO);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += chunk) {
      w.write(bytes, i, Math.min(chunk, bytes.length - i));
    }
    w.finish();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void nextAndDeltaLinksAreRewrittenAtAnyChunkSize() throws IOException {
    String in = "{\"value\":[{\"id\":\"1\",\"note\":\"\\\"@odata.nextLink\\\"\"}],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/users?$skiptoken=a\","
        + "\"@odata.deltaLink\":\"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=b\"}";
    String expected = "{\"value\":[{\"id\":\"1\",\"note\":\"\\\"@odata.nextLink\\\"\"}],\"@odata.nextLink\":\"http://localhost:3003/proxy/v1.0/users?$skiptoken=a\","
        + "\"@odata.deltaLink\":\"http://localhost:3003/proxy/v1.0/users/delta?$deltatoken=b\"}";
    for (int chunk : new int[] {1, 2, 3, 7, 16, 31, 1000}) {
      assertThat(rewrite(in, chunk)).as("chunk %d", chunk).isEqualTo(expected);
    }
  }

  @Test
  void otherUrlsAndLinksToOtherHostsAreLeftAlone() throws IOException {
    String in = "{\"webUrl\":\"https://graph.microsoft.com/v1.0/x\",\"@odata.nextLink\":\"https://contoso.sharepoint.com/x\",\"tail\":\"\\\"@odata.next";
    for (int chunk : new int[] {1, 5, 100}) {
      assertThat(rewrite(in, chunk)).isEqualTo(in);
    }
  }
}
