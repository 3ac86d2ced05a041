package dev.ftpoperator.operator.selftest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one probe checks: the public endpoint as clients reach it, and what its PASV replies must
 * say.
 *
 * @param host the public address (IP or DNS name, resolved as a client would)
 * @param port the control port clients use (21, 990, or the node port)
 * @param tls how the server speaks TLS
 * @param passiveMin lowest port PASV/EPSV may name
 * @param passiveMax highest port PASV/EPSV may name
 * @param user the probe's user name
 * @param password the probe's password
 * @param inCluster the Service's ClusterIP and port: tried when the public address does not answer,
 *     to tell "unreachable from inside the cluster" (no hairpin) from "down"
 * @param timeout bound of every connect and every wait for a reply or data
 * @param sourceRanges the Service's loadBalancerSourceRanges (CIDRs), empty when unrestricted: to
 *     say so when they keep the operator out
 */
public record ProbeTarget(
    String host,
    int port,
    Tls tls,
    int passiveMin,
    int passiveMax,
    String user,
    String password,
    Optional<HostPort> inCluster,
    Duration timeout,
    List<String> sourceRanges) {

  /** TLS as the FtpServer asks for it. */
  public enum Tls {
    NONE,
    /** AUTH TLS offered: the probe uses it, as a careful client would. */
    EXPLICIT,
    /** AUTH TLS before login; protected data connections. */
    REQUIRED,
    IMPLICIT
  }

  public record HostPort(String host, int port) {}

  @Override
  public String toString() {
    // never the password
    return "ProbeTarget[" + host + ":" + port + ", tls=" + tls + "]";
  }
}
