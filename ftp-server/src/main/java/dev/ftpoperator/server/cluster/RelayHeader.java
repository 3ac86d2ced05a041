package dev.ftpoperator.server.cluster;

import java.net.InetSocketAddress;

/**
 * What one replica tells another in a PROXY v2 header.
 *
 * @param kind a relayed data connection, or a report of a failed login
 * @param source the FTP client's address and port (for a report: the client that failed)
 * @param destination the passive port the data connection arrived on, with the address it reached
 * @param sender ordinal of the replica that sent the header
 */
public record RelayHeader(
    Kind kind, InetSocketAddress source, InetSocketAddress destination, int sender) {

  /** The custom TLV 0xE1 says which. */
  public enum Kind {
    DATA_CONNECTION,
    LOGIN_FAILURE
  }
}
