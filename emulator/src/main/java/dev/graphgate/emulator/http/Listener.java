package dev.graphgate.emulator.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** One emulated host: a Javalin server on virtual threads, over plain HTTP or TLS. */
public final class Listener {

  /** Token requests are small forms; Graph uploads stream through their own handlers. */
  public static final long MAX_REQUEST_BYTES = 1_000_000L;

  private Listener() {}

  public static Javalin start(String host, int port, Optional<TrustMaterial> tls, Consumer<JavalinConfig> setup) {
    Javalin app =
        Javalin.create(
            config -> {
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
              tls.ifPresent(material -> useTls(config, host, port, material));
              setup.accept(config);
            });
    return app.start(host, port);
  }

  private static void useTls(JavalinConfig config, String host, int port, TrustMaterial material) {
    config.jetty.addConnector(
        (server, httpConfig) -> {
          SslContextFactory.Server ssl = new SslContextFactory.Server();
          ssl.setKeyStore(material.serverKeyStore());
          ssl.setKeyStorePassword(TrustMaterial.TRUST_STORE_PASSWORD);
          ssl.setCertAlias(TlsMaterialFactory.SERVER_KEY_ALIAS);
          SecureRequestCustomizer secure = new SecureRequestCustomizer();
          // Clients reach the emulator by IP literal as often as by name; SNI checks would refuse them.
          secure.setSniHostCheck(false);
          httpConfig.addCustomizer(secure);
          ServerConnector connector =
              new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpConfig));
          connector.setHost(host);
          connector.setPort(port);
          return connector;
        });
  }
}
