package dev.ftpoperator.server;

import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.config.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * The server in process for one test: fresh temp data and users directories (deleted on close),
 * random free control, HTTP and passive ports on loopback, extra FTP_* variables as the test needs.
 */
public final class FtpTestServer implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  private final Path root;
  private final Path usersDir;
  private final Path dataDir;
  private final PassivePortRange passivePorts;
  private final Map<String, String> env;
  private final FtpService service;

  private FtpTestServer(
      Path root, PassivePortRange passivePorts, Map<String, String> env, FtpService service) {
    this.root = root;
    this.usersDir = root.resolve("users");
    this.dataDir = root.resolve("data");
    this.passivePorts = passivePorts;
    this.env = env;
    this.service = service;
  }

  public static FtpTestServer start() {
    return start(Map.of());
  }

  public static FtpTestServer start(Map<String, String> extraEnv) {
    return start(extraEnv, 4, root -> {});
  }

  /**
   * Users written by {@code prepare} before the server starts (for settings that read files at
   * start, e.g. TLS).
   */
  public static FtpTestServer start(
      Map<String, String> extraEnv, int passivePortCount, Preparation prepare) {
    return start(root -> extraEnv, passivePortCount, prepare);
  }

  /** Extra variables that name files in the test's root directory. */
  public static FtpTestServer start(
      java.util.function.Function<Path, Map<String, String>> extraEnv,
      int passivePortCount,
      Preparation prepare) {
    Path root;
    try {
      root = Files.createTempDirectory("ftp-test");
    } catch (IOException e) {
      throw new IllegalStateException("test server did not start", e);
    }
    FtpTestServer server = null;
    try {
      Files.createDirectories(root.resolve("users"));
      PassivePortRange ports = FreePorts.range(passivePortCount);
      prepare.prepare(root);
      Map<String, String> env = environment(root, ports);
      env.putAll(extraEnv.apply(root));
      server = new FtpTestServer(root, ports, env, FtpService.start(ServerSettings.from(env)));
      server.addUser("alice", "secret");
      return server;
    } catch (Exception e) {
      IllegalStateException failure = new IllegalStateException("test server did not start", e);
      try {
        if (server != null) {
          server.close();
        } else {
          TempDirectories.deleteTree(root);
        }
      } catch (RuntimeException cleanup) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    }
  }

  /** Work done on the test's root directory before the server starts. */
  @FunctionalInterface
  public interface Preparation {
    void prepare(Path root) throws Exception;
  }

  public static Map<String, String> environment(Path root, PassivePortRange ports) {
    Map<String, String> env = new HashMap<>();
    env.put("FTP_BIND_ADDRESS", HOST);
    env.put("FTP_CONTROL_PORT", "0");
    env.put("FTP_HTTP_BIND_ADDRESS", HOST);
    env.put("FTP_HTTP_PORT", "0");
    env.put("FTP_PASSIVE_PORTS", ports.toString());
    env.put("FTP_USERS_DIR", root.resolve("users").toString());
    env.put("FTP_DATA_DIR", root.resolve("data").toString());
    env.put("FTP_LOGIN_FAILURE_DELAY_MS", "200");
    return env;
  }

  public void addUser(String name, String content) {
    try {
      Files.writeString(usersDir.resolve(name), content + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return service.controlPort();
  }

  public int httpPort() {
    return service.httpPort();
  }

  public PassivePortRange passivePorts() {
    return passivePorts;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path root() {
    return root;
  }

  public FtpService service() {
    return service;
  }

  public Map<String, String> env() {
    return env;
  }

  /** A connected, logged-in binary-mode client in passive mode. */
  public FTPClient login(String user, String password) throws IOException {
    FTPClient client = connect();
    if (!client.login(user, password)) {
      throw new IllegalStateException("login failed: " + client.getReplyString());
    }
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    return client;
  }

  public FTPClient alice() throws IOException {
    return login("alice", "secret");
  }

  public FTPClient connect() throws IOException {
    FTPClient client = new FTPClient();
    configure(client);
    client.connect(HOST, port());
    if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
      throw new IllegalStateException("no greeting: " + client.getReplyString());
    }
    return client;
  }

  public static void configure(FTPClient client) {
    client.setConnectTimeout(5000);
    client.setDefaultTimeout(10000);
    client.setDataTimeout(Duration.ofSeconds(10));
    // commons-net would otherwise replace an advertised address with the control address; tests
    // check the reply itself
    client.setPassiveNatWorkaroundStrategy(null);
  }

  public HttpResponse<String> http(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + httpPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the server, then deletes its root directory. */
  @Override
  public void close() {
    service.close();
    TempDirectories.deleteTree(root);
  }
}
