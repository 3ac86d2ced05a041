package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three replicas behind one load balancer that always sends a data connection to a pod that does
 * not own its port: the relay carries it to the owner, which applies the same checks as to a direct
 * connection. Real commons-net clients from their own loopback addresses.
 */
class RelayedDataConnectionsTest {

  static final String CLIENT = "127.0.0.9";
  static final String HIJACKER = "127.0.0.66";
  static ClusterPods pods;
  static int lbPort;

  @BeforeAll
  static void start() throws Exception {
    pods = ClusterPods.start(3, 3, Map.of());
    lbPort = ClusterPods.freeControlPort();
    pods.relayingBalancer(lbPort);
  }

  @AfterAll
  static void stop() throws Exception {
    pods.close();
  }

  static FTPClient client() throws Exception {
    return ClusterPods.login(CLIENT, TestLoadBalancer.ADDRESS, lbPort);
  }

  static long counter(int pod, String sample) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(sample) + " (\\d+)$", Pattern.MULTILINE)
            .matcher(pods.metrics(pod));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static long relayed(String direction) {
    long sum = 0;
    for (int k = 0; k < pods.size(); k++) {
      sum += counter(k, "ftp_relayed_connections_total{direction=\"" + direction + "\"}");
    }
    return sum;
  }

  static int passivePort(String reply) {
    Matcher pasv = Pattern.compile("\\(\\d+,\\d+,\\d+,\\d+,(\\d+),(\\d+)\\)").matcher(reply);
    if (pasv.find()) {
      return Integer.parseInt(pasv.group(1)) * 256 + Integer.parseInt(pasv.group(2));
    }
    Matcher epsv = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)").matcher(reply);
    assertThat(epsv.find()).as("a passive reply: %s", reply).isTrue();
    return Integer.parseInt(epsv.group(1));
  }

  @Test
  void uploadsDownloadsAndListingsThroughTheRelayComeBackByteForByte() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(content);
    long relayedBefore = relayed("in");
    for (int round = 0; round < 6; round++) {
      // the balancer sends control connections to the pods in turn: each pod owns some rounds
      FTPClient client = client();
      client.setUseEPSVwithIPv4(round % 2 == 1);
      String name = "relayed-" + round + ".bin";
      assertThat(client.storeFile(name, new ByteArrayInputStream(content)))
          .as("upload %d: %s", round, client.getReplyString())
          .isTrue();
      ByteArrayOutputStream back = new ByteArrayOutputStream();
      assertThat(client.retrieveFile(name, back)).as("download %d", round).isTrue();
      assertThat(back.toByteArray()).isEqualTo(content);
      assertThat(client.listNames()).contains(name);
      client.logout();
      client.disconnect();
    }
    // one shared volume: every file is where every pod sees it
    assertThat(Files.size(pods.root.resolve("data/alice/relayed-5.bin"))).isEqualTo(content.length);
    // three data connections per round, all of them relayed in and out, on every pod
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(relayed("in") - relayedBefore).isGreaterThanOrEqualTo(18));
    for (int k = 0; k < pods.size(); k++) {
      assertThat(counter(k, "ftp_relayed_connections_total{direction=\"in\"}"))
          .as("pod %d took relayed connections", k)
          .isPositive();
      assertThat(counter(k, "ftp_relayed_connections_total{direction=\"out\"}"))
          .as("pod %d relayed connections", k)
          .isPositive();
    }
    assertThat(pods.metrics(0)).contains("ftp_relay_setup_seconds_count");
  }

  @Test
  void eachPodOffersOnlyPortsOfItsOwnSlice() throws Exception {
    java.util.Set<Integer> owners = new java.util.TreeSet<>();
    for (int round = 0; round < 9; round++) {
      FTPClient client = client();
      assertThat(client.pasv()).isEqualTo(227);
      int port = passivePort(client.getReplyString());
      assertThat(client.epsv()).isEqualTo(229);
      int epsvPort = passivePort(client.getReplyString());
      // whichever pod the balancer chose, both ports are of one slice: that pod's
      assertThat(pods.slices.owner(epsvPort))
          .as("PASV port %d, EPSV port %d", port, epsvPort)
          .isEqualTo(pods.slices.owner(port));
      owners.add(pods.slices.owner(port));
      client.disconnect();
    }
    // the balancer spread the nine sessions over the three pods
    assertThat(owners).containsExactly(0, 1, 2);
  }

  @Test
  void aHijackerRelayedInFromAnotherIpIsRefusedAndTheClientStillGetsItsFile() throws Exception {
    byte[] secret = "only for the real client".getBytes();
    FTPClient client = client();
    assertThat(client.storeFile("hijack.txt", new ByteArrayInputStream(secret))).isTrue();
    assertThat(client.pasv()).isEqualTo(227);
    int port = passivePort(client.getReplyString());
    int owner = pods.slices.owner(port);
    long rejectedBefore = counter(owner, "ftp_data_connections_rejected_total");

    try (Socket hijacker = new Socket()) {
      hijacker.bind(new InetSocketAddress(HIJACKER, 0));
      hijacker.connect(new InetSocketAddress(TestLoadBalancer.ADDRESS, port), 2000);
      hijacker.setSoTimeout(5000);
      // the non-owner relays it with the hijacker's address; the owner closes it unread
      assertThat(hijacker.getInputStream().readAllBytes()).isEmpty();
    }
    assertThat(counter(owner, "ftp_data_connections_rejected_total")).isGreaterThan(rejectedBefore);

    assertThat(client.sendCommand("RETR", "hijack.txt")).isEqualTo(150);
    try (Socket legit = new Socket()) {
      legit.bind(new InetSocketAddress(CLIENT, 0));
      legit.connect(new InetSocketAddress(TestLoadBalancer.ADDRESS, port), 2000);
      try (InputStream in = legit.getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(secret);
      }
    }
    assertThat(client.getReply()).isEqualTo(226);
    client.disconnect();
  }

  @Test
  void aConnectionForAPortNobodyReservedIsRefusedEvenWhenRelayed() throws Exception {
    // no PASV at all: every port of the range is listened on, none is waiting for this client
    long rejectedBefore = 0;
    for (int k = 0; k < pods.size(); k++) {
      rejectedBefore += counter(k, "ftp_data_connections_rejected_total");
    }
    int port = pods.slices.slice(2).max();
    try (Socket stray = new Socket()) {
      stray.bind(new InetSocketAddress(CLIENT, 0));
      stray.connect(new InetSocketAddress(TestLoadBalancer.ADDRESS, port), 2000);
      stray.setSoTimeout(5000);
      assertThat(stray.getInputStream().readAllBytes()).isEmpty();
    }
    long before = rejectedBefore;
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              long now = 0;
              for (int k = 0; k < pods.size(); k++) {
                now += counter(k, "ftp_data_connections_rejected_total");
              }
              assertThat(now).isGreaterThan(before);
            });
  }
}
