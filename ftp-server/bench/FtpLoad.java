import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * Load client for bench.sh (run with the JDK source launcher and commons-net on the class path).
 * Modes:
 *
 * <ul>
 *   <li>raw &lt;file&gt;: loopback TCP copy of the file, the physical ceiling;
 *   <li>large &lt;host&gt; &lt;port&gt; &lt;user&gt; &lt;pass&gt; &lt;remoteDir&gt;
 *       &lt;localFile&gt; &lt;serverPid&gt; [&lt;relayPid&gt;]: one download + one upload, MB/s and
 *       the CPU seconds per GiB of the server, of this client and of a relaying server (after an
 *       untimed download that warms this client);
 *   <li>small &lt;host&gt; &lt;port&gt; &lt;user&gt; &lt;pass&gt; &lt;remoteDir&gt; &lt;clients&gt;
 *       &lt;files&gt; &lt;sizeBytes&gt;: clients upload then download files;
 *   <li>latency &lt;host&gt; &lt;port&gt; &lt;user&gt; &lt;pass&gt; &lt;remoteDir&gt;
 *       &lt;count&gt;: one client downloads a 1-byte file count times: milliseconds per data
 *       connection;
 *   <li>listing &lt;host&gt; &lt;port&gt; &lt;user&gt; &lt;pass&gt; &lt;remoteDir&gt; &lt;count&gt;
 *       &lt;serverPid&gt;: one client lists the directory (LIST, then NLST, then MLSD where the
 *       server offers it) count times each: milliseconds and server CPU milliseconds per listing,
 *       and its lines.
 * </ul>
 *
 * With -Dbench.dataHost=&lt;ip&gt; every passive data connection goes to that address instead of
 * the one in the PASV reply (bench-relay.sh: to a pod that does not own the port). Every line
 * printed is "key=value ..." for the scripts to pick up. All traffic stays on loopback.
 */
public final class FtpLoad {

  private static final int BUFFER = 1 << 20;

  public static void main(String[] args) throws Exception {
    if (args[0].equals("raw")) {
      raw(Path.of(args[1]));
      return;
    }
    Account account = new Account(args[1], Integer.parseInt(args[2]), args[3], args[4], args[5]);
    switch (args[0]) {
      case "large" ->
          large(
              account,
              Path.of(args[6]),
              new ServerProcess(Long.parseLong(args[7])),
              args.length > 8 ? new ServerProcess(Long.parseLong(args[8])) : null);
      case "small" ->
          small(
              account,
              Integer.parseInt(args[6]),
              Integer.parseInt(args[7]),
              Integer.parseInt(args[8]));
      case "latency" -> latency(account, Integer.parseInt(args[6]));
      case "listing" ->
          listing(account, Integer.parseInt(args[6]), new ServerProcess(Long.parseLong(args[7])));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** The server every mode but raw logs in to, and the directory it works in there. */
  record Account(String host, int port, String user, String pass, String dir) {}

  static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  static void raw(Path file) throws Exception {
    long size = Files.size(file);
    try (ServerSocket listener =
        new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread sink =
          new Thread(
              () -> {
                try (Socket socket = listener.accept();
                    InputStream in = socket.getInputStream()) {
                  byte[] buffer = new byte[BUFFER];
                  while (in.read(buffer) != -1) {
                    // discard
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      sink.start();
      long start = System.nanoTime();
      try (SocketChannel channel =
              SocketChannel.open(
                  new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()));
          FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
        long position = 0;
        while (position < size) {
          position += source.transferTo(position, size - position, channel);
        }
      }
      sink.join();
      System.out.printf("raw_mbps=%.1f%n", mbPerSecond(size, System.nanoTime() - start));
    }
  }

  static FTPClient login(Account account) throws IOException {
    return login(account, new FTPClient());
  }

  static <C extends FTPClient> C login(Account account, C client) throws IOException {
    client.setConnectTimeout(10_000);
    client.setDefaultTimeout(60_000);
    client.setBufferSize(BUFFER);
    client.connect(account.host(), account.port());
    if (!client.login(account.user(), account.pass())) {
      throw new IOException("login failed: " + client.getReplyString());
    }
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    String dataHost = System.getProperty("bench.dataHost");
    if (dataHost != null) {
      // commons-net 3.9+ dials the control address unless told to read the PASV reply's
      client.setIpAddressFromPasvResponse(true);
      client.setRemoteVerificationEnabled(false);
      client.setPassiveNatWorkaroundStrategy(advertised -> dataHost);
    }
    return client;
  }

  static void latency(Account account, int count) throws Exception {
    String dir = account.dir();
    FTPClient client = login(account);
    check(
        client.storeFile(dir + "/one-byte", new java.io.ByteArrayInputStream(new byte[] {1})),
        client);
    // warm up the JIT and the connection paths before timing
    for (int i = 0; i < 50; i++) {
      check(
          client.retrieveFile(dir + "/one-byte", java.io.OutputStream.nullOutputStream()), client);
    }
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      check(
          client.retrieveFile(dir + "/one-byte", java.io.OutputStream.nullOutputStream()), client);
    }
    long nanos = System.nanoTime() - start;
    client.logout();
    client.disconnect();
    System.out.printf("ms_per_transfer=%.3f%n", nanos / 1e6 / count);
  }

  /**
   * Sockets of channels, which sendfile can write to (commons-net's default sockets have none).
   * commons-net opens every socket unconnected, then connects it: the connecting methods are
   * unused.
   */
  static final class ChannelSocketFactory extends javax.net.SocketFactory {
    @Override
    public Socket createSocket() throws IOException {
      return SocketChannel.open().socket();
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException();
    }
  }

  /** Data connections this client reads and writes itself, not through commons-net's streams. */
  static final class RawDataClient extends FTPClient {

    /**
     * Sends the file by sendfile (the client's socket factory must be a {@link
     * ChannelSocketFactory}): the kernel hands the socket the cached file's own pages. Sent by
     * write, each 32 KiB goes into a new page of this client's while the server still holds the
     * last ones (a server that splices holds them in its pipe until they reach the file), and a new
     * page on this VM may cost a fault on its host: this client then took 0.8-1.4 CPU s per GiB
     * instead of 0.4, and set the upload's pace (bench.sh).
     */
    void sendFile(String command, String remote, Path local) throws IOException {
      Socket data = _openDataConnection_(command, remote);
      if (data == null) {
        throw new IOException(command + " refused: " + getReplyString());
      }
      try (data;
          FileChannel file = FileChannel.open(local, StandardOpenOption.READ)) {
        long size = file.size();
        long position = 0;
        while (position < size) {
          position += file.transferTo(position, size - position, data.getChannel());
        }
      }
      check(completePendingCommand(), this);
    }

    /**
     * The raw listing, unparsed: parsing thousands of lines would time this client, not the server.
     */
    long lines(String command, String dir) throws IOException {
      long lines = 0;
      Socket data = _openDataConnection_(command, dir);
      if (data == null) {
        throw new IOException(command + " refused: " + getReplyString());
      }
      try (data;
          InputStream in = data.getInputStream()) {
        byte[] buffer = BUFFERS.get();
        int read;
        while ((read = in.read(buffer)) != -1) {
          for (int i = 0; i < read; i++) {
            lines += buffer[i] == '\n' ? 1 : 0;
          }
        }
      }
      check(completePendingCommand(), this);
      return lines;
    }
  }

  static void listing(Account account, int count, ServerProcess server) throws Exception {
    RawDataClient client = login(account, new RawDataClient());
    String dir = account.dir();
    StringBuilder out = new StringBuilder();
    List<String> commands = new ArrayList<>(List.of("LIST", "NLST"));
    if (client.hasFeature("MLST")) {
      // the facts lftp and FileZilla ask for, of those this server offers
      check(
          FTPReply.isPositiveCompletion(client.sendCommand("OPTS MLST type;size;modify;perm;")),
          client);
      commands.add("MLSD");
    }
    for (String command : commands) {
      long lines = 0;
      for (int i = 0; i < 3; i++) { // untimed: the JIT and the directory's inodes warm up
        lines = client.lines(command, dir);
      }
      double cpu = server.cpuSeconds();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        client.lines(command, dir);
      }
      long nanos = System.nanoTime() - start;
      double cpuMs = (server.cpuSeconds() - cpu) * 1000;
      String key = command.toLowerCase(java.util.Locale.ROOT);
      out.append(
          String.format(
              "%s_ms=%.1f %s_server_cpu_ms=%.1f %s_lines=%d ",
              key, nanos / 1e6 / count, key, cpuMs / count, key, lines));
    }
    client.logout();
    client.disconnect();
    System.out.println(out.toString().trim());
  }

  /**
   * Reads the data stream into a reusable buffer and counts it: the client must not be the
   * bottleneck.
   */
  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[BUFFER]);

  static long drain(InputStream in) throws IOException {
    byte[] buffer = BUFFERS.get();
    long total = 0;
    int read;
    while ((read = in.read(buffer)) != -1) {
      total += read;
    }
    return total;
  }

  static void large(Account account, Path local, ServerProcess server, ServerProcess relay)
      throws Exception {
    long size = Files.size(local);
    String dir = account.dir();
    RawDataClient client = new RawDataClient();
    client.setSocketFactory(new ChannelSocketFactory());
    login(account, client);
    // once untimed: a fresh client JVM still compiles its read path during the first GiB, on a core
    // the server needs (the client's CPU per GiB: 0.4-1.4 s cold, 0.2-0.3 s warm)
    try (InputStream in = client.retrieveFileStream(dir + "/big.bin")) {
      drain(in);
    }
    check(client.completePendingCommand(), client);
    double cpu = server.cpuSeconds();
    double clientCpu = ownCpuSeconds();
    double relayCpu = relay == null ? 0 : relay.cpuSeconds();
    long start = System.nanoTime();
    long got;
    try (InputStream in = client.retrieveFileStream(dir + "/big.bin")) {
      got = drain(in);
    }
    check(client.completePendingCommand(), client);
    long downNanos = System.nanoTime() - start;
    double downCpu = server.cpuSeconds() - cpu;
    double downClientCpu = ownCpuSeconds() - clientCpu;
    double downRelayCpu = relay == null ? 0 : relay.cpuSeconds() - relayCpu;
    if (got != size) {
      throw new IOException("download got " + got + " of " + size + " bytes");
    }
    // the last round's upload, deleted right before this one, which then writes into the memory
    // it frees (bench.sh: why)
    client.deleteFile(dir + "/big-upload.bin");
    long reportedKib = reportedToHostKib();
    cpu = server.cpuSeconds();
    clientCpu = ownCpuSeconds();
    relayCpu = relay == null ? 0 : relay.cpuSeconds();
    start = System.nanoTime();
    client.sendFile("STOR", dir + "/big-upload.bin", local);
    long upNanos = System.nanoTime() - start;
    long upReportedKib = reportedKib < 0 ? -1 : reportedToHostKib() - reportedKib;
    double upCpu = server.cpuSeconds() - cpu;
    double upClientCpu = ownCpuSeconds() - clientCpu;
    double upRelayCpu = relay == null ? 0 : relay.cpuSeconds() - relayCpu;
    client.logout();
    client.disconnect();
    double gib = size / (double) (1L << 30);
    System.out.printf(
        "download_mbps=%.1f upload_mbps=%.1f download_cpu_s_per_gib=%.2f upload_cpu_s_per_gib=%.2f"
            + " download_client_cpu_s_per_gib=%.2f upload_client_cpu_s_per_gib=%.2f"
            + " upload_reported_to_host_mib=%d%s%n",
        mbPerSecond(size, downNanos),
        mbPerSecond(size, upNanos),
        downCpu / gib,
        upCpu / gib,
        downClientCpu / gib,
        upClientCpu / gib,
        upReportedKib < 0 ? -1 : upReportedKib >> 10,
        relay == null
            ? ""
            : String.format(
                " download_relay_cpu_s_per_gib=%.2f upload_relay_cpu_s_per_gib=%.2f",
                downRelayCpu / gib, upRelayCpu / gib));
  }

  /**
   * Free memory this VM has handed back to its host so far (free page reporting), in KiB; -1 where
   * the kernel does not count it. A page handed back faults on the host when next written, so an
   * upload that writes into such pages runs several times slower (bench.sh).
   */
  static long reportedToHostKib() {
    try {
      return Long.parseLong(
          Files.readString(Path.of("/sys/module/page_reporting/parameters/reported_kib")).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** This client's own CPU time (user + system): its share of a run that shares the cores. */
  static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * A server and the processes it forked (vsftpd forks per session), read from /proc: CPU time
   * including reaped children.
   */
  record ServerProcess(long pid) {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    List<Long> tree() throws IOException {
      List<Long> pids = new ArrayList<>(List.of(pid));
      for (int i = 0; i < pids.size(); i++) {
        Path tasks = Path.of("/proc", String.valueOf(pids.get(i)), "task");
        try (var taskDirs = Files.list(tasks)) {
          for (Path task : (Iterable<Path>) taskDirs::iterator) {
            String children =
                Files.readAllLines(task.resolve("children")).stream().findFirst().orElse("");
            for (String child : children.trim().split("\\s+")) {
              if (!child.isEmpty()) {
                pids.add(Long.parseLong(child));
              }
            }
          }
        } catch (IOException gone) {
          // the process ended while being read
        }
      }
      return pids;
    }

    double cpuSeconds() throws IOException {
      double ticks = 0;
      for (long p : tree()) {
        try {
          String stat = Files.readAllLines(Path.of("/proc", String.valueOf(p), "stat")).get(0);
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // utime stime cutime cstime: fields 14-17 of stat(5), 12-15 after pid and comm
          for (int f = 11; f <= 14; f++) {
            ticks += Long.parseLong(fields[f]);
          }
        } catch (IOException gone) {
          // ended and was reaped: its time is in its parent's cutime/cstime
        }
      }
      return ticks / TICKS_PER_SECOND;
    }
  }

  static void check(boolean ok, FTPClient client) throws IOException {
    if (!ok) {
      throw new IOException("transfer failed: " + client.getReplyString());
    }
  }

  static void small(Account account, int clients, int files, int size) throws Exception {
    byte[] content = new byte[size];
    new java.util.Random(42).nextBytes(content);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Long>> results = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      String clientDir = account.dir() + "/c" + c;
      results.add(
          pool.submit(
              () -> {
                FTPClient client = login(account);
                client.makeDirectory(clientDir);
                long moved = 0;
                for (int f = 0; f < files; f++) {
                  check(
                      client.storeFile(
                          clientDir + "/f" + f, new java.io.ByteArrayInputStream(content)),
                      client);
                  moved += size;
                }
                for (int f = 0; f < files; f++) {
                  try (InputStream in = client.retrieveFileStream(clientDir + "/f" + f)) {
                    if (in == null) {
                      throw new IOException("RETR refused: " + client.getReplyString());
                    }
                    moved += drain(in);
                  }
                  check(client.completePendingCommand(), client);
                }
                client.logout();
                client.disconnect();
                return moved;
              }));
    }
    long total = 0;
    for (Future<Long> result : results) {
      total += result.get(600, TimeUnit.SECONDS);
    }
    long nanos = System.nanoTime() - start;
    pool.shutdown();
    int transfers = clients * files * 2;
    System.out.printf(
        "small_mbps=%.1f transfers_per_s=%.0f%n",
        mbPerSecond(total, nanos), transfers / (nanos / 1e9));
  }
}
