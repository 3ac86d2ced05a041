package dev.ftpoperator.operator.selftest;

import dev.ftpoperator.server.FtpService;
import dev.ftpoperator.server.config.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The project's own FTP server, in process on loopback, as the public endpoint the self-test
 * probes: a fresh directory (deleted on close), free ports, the probe's password file, extra FTP_*
 * variables as the test's fault needs.
 */
public final class LoopbackFtpServer implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  private final Path root;
  private final FtpService service;
  private final int passiveMin;
  private final int passiveMax;

  private LoopbackFtpServer(Path root, FtpService service, int passiveMin, int passiveMax) {
    this.root = root;
    this.service = service;
    this.passiveMin = passiveMin;
    this.passiveMax = passiveMax;
  }

  /**
   * @param probePassword written to the probe's password file
   * @param env FTP_* variables over the defaults here (public address 127.0.0.1, free ports)
   */
  public static LoopbackFtpServer start(String probePassword, Map<String, String> env)
      throws Exception {
    int[] passive = freeRange(3);
    return start(probePassword, env, passive[0], passive[passive.length - 1]);
  }

  public static LoopbackFtpServer start(
      String probePassword, Map<String, String> env, int passiveMin, int passiveMax)
      throws Exception {
    Path root = Files.createTempDirectory("self-test-ftp");
    Files.createDirectories(root.resolve("users"));
    Files.writeString(root.resolve("probe-password"), probePassword + "\n");
    Map<String, String> all = new HashMap<>();
    all.put("FTP_BIND_ADDRESS", HOST);
    all.put("FTP_CONTROL_PORT", "0");
    all.put("FTP_HTTP_BIND_ADDRESS", HOST);
    all.put("FTP_HTTP_PORT", "0");
    all.put("FTP_PASSIVE_PORTS", passiveMin + "-" + passiveMax);
    all.put("FTP_PUBLIC_ADDRESS", HOST);
    all.put("FTP_REQUIRE_PUBLIC_ADDRESS", "true");
    all.put("FTP_USERS_DIR", root.resolve("users").toString());
    all.put("FTP_DATA_DIR", root.resolve("data").toString());
    all.put("FTP_PROBE_PASSWORD_FILE", root.resolve("probe-password").toString());
    all.put("FTP_PROBE_HOME", root.resolve("probe-home").toString());
    all.put("FTP_LOGIN_FAILURE_DELAY_MS", "0");
    all.putAll(env);
    try {
      return new LoopbackFtpServer(
          root, FtpService.start(ServerSettings.from(all)), passiveMin, passiveMax);
    } catch (Exception e) {
      deleteTree(root);
      throw e;
    }
  }

  /** {@code count} consecutive ports free now on loopback. */
  public static int[] freeRange(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first;
      try (ServerSocket probe = new ServerSocket(0)) {
        first = probe.getLocalPort();
      }
      if (first + count > 65535) {
        continue;
      }
      if (allFree(first, count)) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
          ports[i] = first + i;
        }
        return ports;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

  /** Whether {@code count} ports from {@code first} are free on loopback now. */
  public static boolean allFree(int first, int count) {
    for (int p = first; p < first + count; p++) {
      try (ServerSocket s = new ServerSocket(p)) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  public int port() {
    return service.controlPort();
  }

  public int passiveMin() {
    return passiveMin;
  }

  public int passiveMax() {
    return passiveMax;
  }

  public Path root() {
    return root;
  }

  /** Replaces the probe's password file (a wrong or missing probe Secret). */
  public void probePassword(String password) throws IOException {
    Files.writeString(root.resolve("probe-password"), password + "\n");
  }

  /** Stops the server, then deletes its directory. */
  @Override
  public void close() {
    service.close();
    deleteTree(root);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
