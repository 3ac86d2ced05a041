package dev.ftpoperator.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings of one replica among {@code replicas} that share one passive range (read only when
 * FTP_CLUSTER_REPLICAS is 2 or more). The secret file is read when the server starts, not here, so
 * that the operator's contract test can parse what it renders.
 *
 * @param peers every ordinal 0..replicas-1 (this pod's own included) and its relay address
 */
public record ClusterSettings(
    int replicas, int ordinal, Map<Integer, InetAddress> peers, int relayPort, Path secretFile) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern ORDINAL_SUFFIX = Pattern.compile(".*-(\\d{1,9})");

  public ClusterSettings {
    peers = Map.copyOf(peers);
  }

  /**
   * Checks what several replicas need: an ordinal below N, every peer listed, and at least two
   * passive ports per slice (one port per pod would serialise its sessions).
   */
  static ClusterSettings parse(
      int replicas,
      PassivePortRange passivePorts,
      Optional<String> podName,
      Optional<String> ordinalOverride,
      Optional<String> peers,
      int relayPort,
      Path secretFile) {
    if (passivePorts.size() < 2 * replicas) {
      throw new IllegalArgumentException(
          Variable.FTP_PASSIVE_PORTS
              + " "
              + passivePorts
              + " has "
              + passivePorts.size()
              + " ports: "
              + Variable.FTP_CLUSTER_REPLICAS
              + "="
              + replicas
              + " needs at least "
              + 2 * replicas
              + " (two per replica's slice)");
    }
    int ordinal = ordinal(podName, ordinalOverride);
    if (ordinal >= replicas) {
      throw new IllegalArgumentException(
          "this pod's ordinal "
              + ordinal
              + " is not below "
              + Variable.FTP_CLUSTER_REPLICAS
              + "="
              + replicas);
    }
    Map<Integer, InetAddress> byOrdinal =
        parsePeers(
            peers.orElseThrow(
                () ->
                    new IllegalArgumentException(
                        Variable.FTP_CLUSTER_PEERS
                            + " must be set when "
                            + Variable.FTP_CLUSTER_REPLICAS
                            + " is "
                            + replicas)));
    for (int k = 0; k < replicas; k++) {
      if (!byOrdinal.containsKey(k)) {
        throw new IllegalArgumentException(
            Variable.FTP_CLUSTER_PEERS
                + " must list every ordinal 0.."
                + (replicas - 1)
                + ", "
                + k
                + " is missing");
      }
    }
    if (byOrdinal.size() != replicas) {
      throw new IllegalArgumentException(
          Variable.FTP_CLUSTER_PEERS
              + " lists ordinals beyond 0.."
              + (replicas - 1)
              + ": "
              + byOrdinal.keySet());
    }
    return new ClusterSettings(replicas, ordinal, byOrdinal, relayPort, secretFile);
  }

  private static int ordinal(Optional<String> podName, Optional<String> override) {
    if (override.isPresent()) {
      try {
        int value = Integer.parseInt(override.get());
        if (value >= 0) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          Variable.FTP_CLUSTER_ORDINAL + " must be a number >= 0, got '" + override.get() + "'");
    }
    String name =
        podName.orElseThrow(
            () ->
                new IllegalArgumentException(
                    Variable.FTP_POD_NAME
                        + " (or "
                        + Variable.FTP_CLUSTER_ORDINAL
                        + ") must be set when several replicas run"));
    var m = ORDINAL_SUFFIX.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          Variable.FTP_POD_NAME
              + " must end in -<ordinal> (a StatefulSet pod), got '"
              + name
              + "'");
    }
    return Integer.parseInt(m.group(1));
  }

  private static boolean isIpv4(String text) {
    if (!IPV4.matcher(text).matches()) {
      return false;
    }
    for (String octet : text.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** {@code 0=10.96.3.4,1=fd00::7}: literal addresses only, this pod needs no DNS. */
  static Map<Integer, InetAddress> parsePeers(String text) {
    Map<Integer, InetAddress> peers = new TreeMap<>();
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      String key = equals < 0 ? "" : trimmed.substring(0, equals).trim();
      String address = equals < 0 ? "" : trimmed.substring(equals + 1).trim();
      if (address.startsWith("[") && address.endsWith("]")) {
        address = address.substring(1, address.length() - 1);
      }
      if (!key.matches("\\d{1,9}") || !(isIpv4(address) || IPV6.matcher(address).matches())) {
        throw new IllegalArgumentException(
            Variable.FTP_CLUSTER_PEERS
                + " entries must look like 0=10.96.3.4 (an IP address per ordinal), got '"
                + trimmed
                + "'");
      }
      InetAddress parsed;
      try {
        parsed = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            Variable.FTP_CLUSTER_PEERS + ": '" + address + "' is not an IP address");
      }
      if (peers.put(Integer.parseInt(key), parsed) != null) {
        throw new IllegalArgumentException(
            Variable.FTP_CLUSTER_PEERS + " lists ordinal " + key + " twice");
      }
    }
    return peers;
  }
}
