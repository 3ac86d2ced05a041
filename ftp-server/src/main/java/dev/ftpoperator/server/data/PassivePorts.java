package dev.ftpoperator.server.data;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Where PASV/EPSV get their port: {@link PassivePortPool} for a lone server (a port is bound when
 * it is reserved), {@link SharedPassivePorts} for a replica among several (the whole range is bound
 * up front and this pod reserves only its slice).
 */
public interface PassivePorts {

  /**
   * A port reserved for one control session, or null when every port is taken.
   *
   * @param local the address the control connection arrived on
   * @param client the control connection's client: only it may take the port
   */
  Reservation reserve(InetAddress local, InetAddress client);

  int inUse();

  int size();

  /** One reserved port, waiting for its session's data connection. */
  interface Reservation {

    int port();

    /**
     * The data connection from the session's client; connections from anywhere else are refused
     * meanwhile.
     */
    Socket accept(Duration timeout) throws IOException;

    /** Gives the port back (idempotent). */
    void release();
  }
}
