package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.FreePorts;
import dev.ftpoperator.server.FtpService;
import dev.ftpoperator.server.FtpTestServer;
import dev.ftpoperator.server.TempDirectories;
import dev.ftpoperator.server.config.PassivePortRange;
import dev.ftpoperator.server.config.ServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/**
 * N replicas in process, as a StatefulSet runs them: pod k listens on its own loopback address
 * 127.0.0.(2+k) (a port binds once per address), all share one passive range, one relay port
 * number, one secret and one data volume, and advertise the load balancer's address 127.0.0.1. The
 * shared directory is deleted on close.
 */
final class ClusterPods implements AutoCloseable {

  static final String SECRET = "test-cluster-secret-of-48-bytes-0123456789abcdef";

  final Path root;
  final PassivePortRange range;
  final int relayPort;
  final SliceMap slices;
  private final List<FtpService> pods = new ArrayList<>();
  private final List<AutoCloseable> extras = new ArrayList<>();

  private ClusterPods(Path root, PassivePortRange range, int relayPort, int replicas) {
    this.root = root;
    this.range = range;
    this.relayPort = relayPort;
    this.slices = new SliceMap(range, replicas);
  }

  static String address(int ordinal) {
    return "127.0.0." + (2 + ordinal);
  }

  static ClusterPods start(int replicas, int portsPerPod, Map<String, String> extra)
      throws Exception {
    Path root = Files.createTempDirectory("ftp-cluster");
    ClusterPods pods;
    try {
      Files.createDirectories(root.resolve("users"));
      Files.writeString(root.resolve("users/alice"), "secret\n");
      Files.writeString(root.resolve("secret"), SECRET, StandardCharsets.US_ASCII);
      PassivePortRange range = FreePorts.range(replicas * portsPerPod);
      int relayPort = FreePorts.range(1).min();
      pods = new ClusterPods(root, range, relayPort, replicas);
    } catch (Exception e) {
      TempDirectories.deleteTree(root);
      throw e;
    }
    try {
      for (int k = 0; k < replicas; k++) {
        pods.pods.add(FtpService.start(ServerSettings.from(pods.environment(k, replicas, extra))));
      }
    } catch (Exception e) {
      pods.close();
      throw e;
    }
    return pods;
  }

  Map<String, String> environment(int ordinal, int replicas, Map<String, String> extra) {
    Map<String, String> env = FtpTestServer.environment(root, range);
    env.put("FTP_BIND_ADDRESS", address(ordinal));
    env.put("FTP_PUBLIC_ADDRESS", TestLoadBalancer.ADDRESS);
    env.put("FTP_CLUSTER_REPLICAS", Integer.toString(replicas));
    env.put("FTP_POD_NAME", "partners-" + ordinal);
    env.put(
        "FTP_CLUSTER_PEERS",
        IntStream.range(0, replicas)
            .mapToObj(k -> k + "=" + address(k))
            .collect(Collectors.joining(",")));
    env.put("FTP_CLUSTER_RELAY_PORT", Integer.toString(relayPort));
    env.put("FTP_CLUSTER_SECRET_FILE", root.resolve("secret").toString());
    env.putAll(extra);
    return env;
  }

  FtpService pod(int ordinal) {
    return pods.get(ordinal);
  }

  int size() {
    return pods.size();
  }

  String metrics(int ordinal) {
    return pod(ordinal).metrics().prometheusText();
  }

  /**
   * A load balancer in front of all pods: control connections round-robin, a data connection to the
   * pod {@code dataPod} picks for its port's owner.
   */
  TestLoadBalancer balancer(int controlPort, IntUnaryOperator dataPod) throws IOException {
    AtomicInteger next = new AtomicInteger();
    List<Integer> ports = new ArrayList<>();
    ports.add(controlPort);
    for (int p = range.min(); p <= range.max(); p++) {
      ports.add(p);
    }
    TestLoadBalancer lb =
        new TestLoadBalancer(
            ports,
            port -> {
              if (port == controlPort) {
                int k = Math.floorMod(next.getAndIncrement(), size());
                return new InetSocketAddress(address(k), pod(k).controlPort());
              }
              int k = dataPod.applyAsInt(slices.owner(port));
              return new InetSocketAddress(address(k), port);
            });
    extras.add(lb);
    return lb;
  }

  /** Data always lands on a pod that does not own the port: every transfer is relayed. */
  TestLoadBalancer relayingBalancer(int controlPort) throws IOException {
    return balancer(controlPort, owner -> (owner + 1) % size());
  }

  static int freeControlPort() throws IOException {
    try (ServerSocket socket =
        new ServerSocket(0, 1, InetAddress.getByName(TestLoadBalancer.ADDRESS))) {
      return socket.getLocalPort();
    }
  }

  /** A logged-in binary client from {@code clientIp}, control and data bound to that address. */
  static FTPClient login(String clientIp, String host, int port) throws IOException {
    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    InetAddress local = InetAddress.getByName(clientIp);
    client.connect(InetAddress.getByName(host), port, local, 0);
    if (!client.login("alice", "secret")) {
      throw new IllegalStateException("login failed: " + client.getReplyString());
    }
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.setPassiveLocalIPAddress(local);
    client.enterLocalPassiveMode();
    return client;
  }

  /** Stops the load balancers and the pods, then deletes their shared root directory. */
  @Override
  public void close() throws Exception {
    for (AutoCloseable extra : extras) {
      extra.close();
    }
    for (FtpService pod : pods) {
      pod.close();
    }
    TempDirectories.deleteTree(root);
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
