package dev.ftpoperator.operator.selftest;

import dev.ftpoperator.operator.selftest.ProbeResult.Failure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * One self-test, as a client outside would do it: connect to the public address, read the greeting,
 * TLS where the server asks for it (certificate validity and names checked, an untrusted issuer
 * only noted), log in as the probe, list the probe's directory once through EPSV and once through
 * PASV (whose reply must name the public address), both ports inside the declared range. Every
 * connect and every read is bounded by the target's timeout. Stateless: safe to run on any number
 * of threads.
 */
public final class FtpProbe {

  private final Clock clock;

  public FtpProbe(Clock clock) {
    this.clock = clock;
  }

  /**
   * The name of the empty file a pod that knows its name puts in the probe's home (ftp-server's
   * ProbeAccount.POD_MARKER_PREFIX; FtpProbeTest lists a real server's).
   */
  static final String POD_MARKER_PREFIX = "served-by-";

  /** Address ranges reserved for documentation, and the RFC that reserves each. */
  private static final Map<String, String> DOCUMENTATION =
      Map.of(
          "192.0.2.0/24", "RFC 5737",
          "198.51.100.0/24", "RFC 5737",
          "203.0.113.0/24", "RFC 5737",
          "2001:db8::/32", "RFC 3849");

  /** Never throws: every outcome is a result. */
  public ProbeResult run(ProbeTarget target) {
    long start = System.nanoTime();
    Findings found = new Findings();
    try {
      String message = attempt(target, found);
      return ProbeResult.success(
          message, millisSince(start), found.notes, found.pod, clock.instant());
    } catch (StepFailed f) {
      return ProbeResult.failed(
          f.failure, f.getMessage(), millisSince(start), found.notes, found.pod, clock.instant());
    } catch (RuntimeException e) {
      return ProbeResult.failed(
          Failure.LISTING,
          "probe error: " + e,
          millisSince(start),
          found.notes,
          found.pod,
          clock.instant());
    }
  }

  /** What a probe learnt besides its verdict. */
  private static final class Findings {
    final List<String> notes = new ArrayList<>();
    Optional<String> pod = Optional.empty();
  }

  private static long millisSince(long start) {
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /** A step that failed, with what was seen. */
  private static final class StepFailed extends Exception {
    final Failure failure;

    StepFailed(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }
  }

  private String attempt(ProbeTarget target, Findings found) throws StepFailed {
    List<InetAddress> publicAddresses = resolve(target);
    InetAddress address = publicAddresses.get(0);
    int port = target.port();
    String where = target.host() + ":" + target.port();
    boolean viaCluster = false;
    Optional<String> documentation = documentationRange(address);
    if (documentation.isPresent()) {
      // never routed anywhere: not dialed; the Service's ClusterIP shows what PASV replies say
      ProbeTarget.HostPort in =
          target
              .inCluster()
              .orElseThrow(
                  () ->
                      new StepFailed(
                          Failure.CONNECT,
                          "the endpoint's address "
                              + target.host()
                              + " is a documentation address ("
                              + documentation.get()
                              + ") that no client can reach; the probe does not dial it"));
      address = resolve(in.host());
      port = in.port();
      where = in.host() + ":" + in.port() + " (the Service's ClusterIP)";
      viaCluster = true;
    }
    RecordingTrustManager trust = new RecordingTrustManager();
    FTPClient client = client(target, trust);
    Replies replies = new Replies();
    client.addProtocolCommandListener(replies);
    PasvRecorder pasv = new PasvRecorder(address.getHostAddress());
    // commons-net 3.9+ ignores the PASV address unless asked; the recorder sees it and dials the
    // public address
    client.setIpAddressFromPasvResponse(true);
    client.setPassiveNatWorkaroundStrategy(pasv);
    try {
      connect(client, target, address, port, where, !viaCluster);
      if (target.tls() != ProbeTarget.Tls.NONE) {
        checkCertificate(trust, target, found.notes, clock.instant());
      }
      login(client, target);
      if (target.tls() != ProbeTarget.Tls.NONE) {
        FTPSClient ftps = (FTPSClient) client;
        try {
          ftps.execPBSZ(0);
          ftps.execPROT("P");
        } catch (IOException e) {
          throw new StepFailed(Failure.TLS, "PBSZ/PROT P refused: " + describe(e));
        }
      }
      list(client, target, replies, pasv, publicAddresses, found, "EPSV", 229);
      list(client, target, replies, pasv, publicAddresses, found, "PASV", 227);
      return "Logged in at "
          + where
          + (target.tls() != ProbeTarget.Tls.NONE ? " over TLS" : "")
          + " and listed a directory through EPSV and PASV (PASV named "
          + pasv.named
          + ")";
    } finally {
      try {
        if (client.isConnected()) {
          client.logout();
        }
      } catch (IOException ignored) {
        // the result is known; the server closes the session
      }
      try {
        client.disconnect();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  private static List<InetAddress> resolve(ProbeTarget target) throws StepFailed {
    try {
      return Arrays.asList(InetAddress.getAllByName(target.host()));
    } catch (UnknownHostException e) {
      throw new StepFailed(Failure.CONNECT, "cannot resolve " + target.host() + ": " + describe(e));
    }
  }

  private static InetAddress resolve(String literal) throws StepFailed {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new StepFailed(Failure.CONNECT, "cannot resolve " + literal + ": " + describe(e));
    }
  }

  /**
   * The RFC that reserves {@code address} for documentation, when it is such an address: examples
   * (ours included) use them, and they are never routed, so a server advertising one was given an
   * example's value.
   */
  static Optional<String> documentationRange(InetAddress address) {
    return DOCUMENTATION.entrySet().stream()
        .filter(range -> inRange(address, range.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Whether {@code address} lies in {@code cidr} ("10.98.0.2/32", "2001:db8::/32"). */
  static boolean inRange(InetAddress address, String cidr) {
    int slash = cidr.indexOf('/');
    try {
      byte[] net = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
      byte[] a = address.getAddress();
      if (net.length != a.length) {
        return false;
      }
      int bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1).strip());
      for (int i = 0; i < net.length; i++) {
        int take = Math.max(0, Math.min(8, bits - i * 8));
        int mask = take == 0 ? 0 : (0xff << (8 - take)) & 0xff;
        if ((net[i] & mask) != (a[i] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | NumberFormatException e) {
      return false; // the API server validates the ranges: not reached
    }
  }

  private static FTPClient client(ProbeTarget target, RecordingTrustManager trust) {
    FTPClient client =
        switch (target.tls()) {
          case NONE -> new FTPClient();
          case EXPLICIT, REQUIRED -> new FTPSClient(false);
          case IMPLICIT -> new FTPSClient(true);
        };
    if (client instanceof FTPSClient ftps) {
      ftps.setTrustManager(trust);
      // names are checked by checkCertificate, with a message a person can act on
      ftps.setHostnameVerifier(null);
      ftps.setEndpointCheckingEnabled(false);
    }
    int millis = (int) target.timeout().toMillis();
    client.setConnectTimeout(millis);
    client.setDefaultTimeout(millis);
    client.setDataTimeout(target.timeout());
    client.setControlKeepAliveReplyTimeout(target.timeout());
    return client;
  }

  private static void connect(
      FTPClient client,
      ProbeTarget target,
      InetAddress address,
      int port,
      String where,
      boolean tellFromCluster)
      throws StepFailed {
    try {
      client.connect(address, port);
      client.setSoTimeout((int) target.timeout().toMillis());
    } catch (SSLException e) {
      throw new StepFailed(Failure.TLS, "TLS with " + where + " failed: " + describe(e));
    } catch (IOException e) {
      if (client.isConnected()) {
        throw new StepFailed(
            Failure.BANNER,
            where + " accepted the connection but sent no FTP greeting: " + describe(e));
      }
      String cause = where + ": " + describe(e);
      Optional<InetAddress> greeted =
          tellFromCluster && target.inCluster().isPresent()
              ? greets(target.inCluster().get(), target.timeout())
              : Optional.empty();
      if (greeted.isPresent()) {
        ProbeTarget.HostPort in = target.inCluster().get();
        InetAddress self = greeted.get();
        String answers =
            cause + ", while the Service's ClusterIP " + in.host() + ":" + in.port() + " answers";
        if (!target.sourceRanges().isEmpty()
            && target.sourceRanges().stream().noneMatch(r -> inRange(self, r))) {
          throw new StepFailed(
              Failure.UNREACHABLE_FROM_CLUSTER,
              answers
                  + ": spec.service.loadBalancerSourceRanges "
                  + target.sourceRanges()
                  + " do not admit the operator's address "
                  + self.getHostAddress()
                  + ", so the load balancer drops its probe; clients from those ranges are not"
                  + " affected (admit the operator's address to keep the self-test, or set"
                  + " spec.selfTest.enabled false)");
        }
        throw new StepFailed(
            Failure.UNREACHABLE_FROM_CLUSTER,
            answers
                + ": the load balancer may not route traffic from inside the cluster back"
                + " to itself (no hairpin), or a NetworkPolicy keeps the operator out; outside"
                + " clients may be fine (set spec.selfTest.enabled false where this is expected)");
      }
      throw new StepFailed(Failure.CONNECT, "cannot connect to " + cause);
    }
    if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
      throw new StepFailed(
          Failure.BANNER, where + " greeted with " + client.getReplyString().strip());
    }
  }

  /**
   * Whether an FTP server greets at {@code address} (plain TCP, a 220 line): then the operator's
   * own address on that connection.
   */
  private static Optional<InetAddress> greets(ProbeTarget.HostPort address, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address.host(), address.port()), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      String line =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return line != null && line.startsWith("220")
          ? Optional.of(socket.getLocalAddress())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void login(FTPClient client, ProbeTarget target) throws StepFailed {
    try {
      if (!client.login(target.user(), target.password())) {
        throw new StepFailed(
            Failure.LOGIN,
            "login as "
                + target.user()
                + " refused: "
                + client.getReplyString().strip()
                + " (the server pod may not have the probe Secret yet, or it was replaced and the"
                + " pod still has the old one)");
      }
    } catch (IOException e) {
      throw new StepFailed(Failure.LOGIN, "login as " + target.user() + " failed: " + describe(e));
    }
  }

  private static void list(
      FTPClient client,
      ProbeTarget target,
      Replies replies,
      PasvRecorder pasv,
      List<InetAddress> publicAddresses,
      Findings found,
      String command,
      int expected)
      throws StepFailed {
    replies.clear();
    pasv.named = null;
    client.enterLocalPassiveMode();
    client.setUseEPSVwithIPv4(command.equals("EPSV"));
    IOException dataError = null;
    FTPFile[] files = null;
    try {
      files = client.listFiles();
    } catch (IOException e) {
      dataError = e;
    }
    if (files != null && found.pod.isEmpty()) {
      found.pod =
          Arrays.stream(files)
              .filter(f -> f != null && f.getName() != null)
              .map(FTPFile::getName)
              .filter(
                  n -> n.startsWith(POD_MARKER_PREFIX) && n.length() > POD_MARKER_PREFIX.length())
              .map(n -> n.substring(POD_MARKER_PREFIX.length()))
              .findFirst();
    }
    Replies.Reply reply = replies.get(command);
    if (reply == null || reply.code() != expected) {
      throw new StepFailed(
          Failure.PASSIVE_REFUSED,
          command
              + " refused: "
              + (reply == null ? describe(dataError) : reply.code() + " " + reply.text()));
    }
    Optional<String> documentation =
        pasv.named == null ? Optional.empty() : documentationRange(literal(pasv.named));
    if (documentation.isPresent()) {
      throw new StepFailed(
          Failure.PASSIVE_ADDRESS,
          "PASV named "
              + pasv.named
              + ", a documentation address ("
              + documentation.get()
              + ") that no client can reach and the probe does not dial: clients that use the PASV"
              + " address cannot open a data connection (set spec.passiveAddress to the address"
              + " clients reach, or remove it to advertise the load balancer's)");
    }
    if (pasv.named != null && !matches(pasv.named, publicAddresses)) {
      throw new StepFailed(
          Failure.PASSIVE_ADDRESS,
          "PASV named "
              + pasv.named
              + kind(pasv.named)
              + ", not the public address "
              + target.host()
              + ": clients that dial the PASV address cannot connect (set spec.passiveAddress, or"
              + " the server pod has not got the new address yet)");
    }
    int port = client.getPassivePort();
    if (port < target.passiveMin() || port > target.passiveMax()) {
      throw new StepFailed(
          Failure.PASSIVE_PORT,
          command
              + " named port "
              + port
              + ", outside the declared passive range "
              + target.passiveMin()
              + "-"
              + target.passiveMax());
    }
    if (dataError != null && replies.get("LIST") == null) {
      throw new StepFailed(
          Failure.DATA_PORT,
          "data port "
              + port
              + " at "
              + target.host()
              + " ("
              + command
              + "): "
              + describe(dataError)
              + " (the load balancer or a firewall may open port "
              + target.port()
              + " but not the passive range)");
    }
    if (dataError != null
        || files == null
        || !FTPReply.isPositiveCompletion(client.getReplyCode())) {
      throw new StepFailed(
          Failure.LISTING,
          "LIST over data port "
              + port
              + " ("
              + command
              + ") did not complete: "
              + (dataError != null ? describe(dataError) : client.getReplyString().strip()));
    }
  }

  /** An IP literal from a reply; the loopback address when unparsable (PASV parsed it already). */
  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  private static boolean matches(String named, Collection<InetAddress> addresses) {
    return addresses.stream().anyMatch(a -> a.getHostAddress().equals(named));
  }

  /** Says what kind of address a wrong PASV address is, when that explains it. */
  private static String kind(String address) {
    try {
      InetAddress a = InetAddress.getByName(address);
      if (a.isSiteLocalAddress()) {
        return " (a private address, e.g. a pod's)";
      }
      if (a.isLoopbackAddress()) {
        return " (a loopback address)";
      }
    } catch (UnknownHostException e) {
      // a literal from a reply: not reached
    }
    return "";
  }

  private static void checkCertificate(
      RecordingTrustManager trust, ProbeTarget target, List<String> notes, java.time.Instant now)
      throws StepFailed {
    X509Certificate leaf = trust.chain.length > 0 ? trust.chain[0] : null;
    if (leaf == null) {
      throw new StepFailed(Failure.TLS, "the server presented no certificate");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new StepFailed(
          Failure.TLS,
          "the certificate expired on "
              + leaf.getNotAfter().toInstant()
              + " ("
              + leaf.getSubjectX500Principal().getName()
              + "): renew the TLS Secret");
    } catch (CertificateNotYetValidException e) {
      throw new StepFailed(
          Failure.TLS, "the certificate is valid only from " + leaf.getNotBefore().toInstant());
    }
    List<String> names = names(leaf);
    if (!names.isEmpty() && names.stream().noneMatch(n -> nameMatches(n, target.host()))) {
      throw new StepFailed(
          Failure.TLS,
          "the certificate names " + names + ", not the endpoint's address " + target.host());
    }
    if (names.isEmpty()) {
      notes.add("the certificate has no subjectAltName: clients that check names refuse it");
    }
    trust.untrusted.ifPresent(
        why ->
            notes.add(
                "the certificate's issuer "
                    + leaf.getIssuerX500Principal().getName()
                    + " is not in the operator's trust store: clients need it configured ("
                    + why
                    + ")"));
  }

  private static List<String> names(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == 2 || type == 7) { // dNSName, iPAddress
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // treated as no names
    }
    return names;
  }

  private static boolean nameMatches(String name, String host) {
    String n = name.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (n.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot).equals(n.substring(1));
    }
    return n.equals(h);
  }

  private static String describe(Exception e) {
    if (e == null) {
      return "no reply";
    }
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    if (e instanceof java.net.SocketTimeoutException) {
      return "timed out";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return message == null ? type : type + ": " + message.strip();
  }

  /** The last reply to each command of one step. */
  private static final class Replies implements ProtocolCommandListener {
    record Reply(int code, String text) {}

    private final Map<String, Reply> byCommand = new HashMap<>();
    private String lastCommand;

    void clear() {
      byCommand.clear();
      lastCommand = null;
    }

    Reply get(String command) {
      return byCommand.get(command);
    }

    @Override
    public void protocolCommandSent(ProtocolCommandEvent event) {
      lastCommand = event.getCommand().toUpperCase(Locale.ROOT);
    }

    @Override
    public void protocolReplyReceived(ProtocolCommandEvent event) {
      if (lastCommand != null && event.getReplyCode() > 0) {
        byCommand.put(lastCommand, new Reply(event.getReplyCode(), event.getMessage().strip()));
      }
    }
  }

  /**
   * Notes the address a PASV reply names and dials the public address instead (as curl, ftplib and
   * commons-net do by default), so a wrong address is reported without waiting for a timeout.
   */
  private static final class PasvRecorder implements FTPClient.HostnameResolver {
    private final String publicAddress;
    String named;

    PasvRecorder(String publicAddress) {
      this.publicAddress = publicAddress;
    }

    @Override
    public String resolve(String hostname) {
      named = hostname;
      return publicAddress;
    }
  }

  /**
   * Accepts any chain (the probe reports rather than refuses) and remembers it, and whether the
   * JVM's default trust store would have refused it.
   */
  private static final class RecordingTrustManager implements X509TrustManager {
    X509Certificate[] chain = new X509Certificate[0];
    Optional<String> untrusted = Optional.empty();

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      this.chain = chain.clone();
      try {
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (javax.net.ssl.TrustManager tm : factory.getTrustManagers()) {
          if (tm instanceof X509TrustManager x509) {
            x509.checkServerTrusted(chain, authType);
          }
        }
      } catch (GeneralSecurityException e) {
        untrusted = Optional.of(e.getClass().getSimpleName());
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
