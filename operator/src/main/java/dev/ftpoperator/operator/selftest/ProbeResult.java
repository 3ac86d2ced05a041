package dev.ftpoperator.operator.selftest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one probe found.
 *
 * @param failure the step that failed, empty when the listing came through
 * @param message what was seen, for a person ("PASV named 10.244.0.7, not the public address ...")
 * @param roundTripMillis connect to end of listing (successes), or until the failure
 * @param notes things that did not fail the probe but a person should know (an untrusted issuer)
 * @param at when the probe finished
 * @param pod the replica that answered the control connection, when its listing named it (the
 *     server's {@code served-by-<pod>} marker in the probe's home)
 */
public record ProbeResult(
    Optional<Failure> failure,
    String message,
    long roundTripMillis,
    List<String> notes,
    Instant at,
    Optional<String> pod) {

  /** A result that does not say which pod answered. */
  public ProbeResult(
      Optional<Failure> failure,
      String message,
      long roundTripMillis,
      List<String> notes,
      Instant at) {
    this(failure, message, roundTripMillis, notes, at, Optional.empty());
  }

  /** The step that failed. */
  public enum Failure {
    /** No TCP connection to the public address. */
    CONNECT,
    /** The public address does not answer from inside the cluster, the Service's ClusterIP does. */
    UNREACHABLE_FROM_CLUSTER,
    /** Connected, but no 220 greeting. */
    BANNER,
    /** AUTH TLS refused, handshake failed, or the certificate is expired or names another host. */
    TLS,
    LOGIN,
    /** EPSV or PASV refused or unparsable. */
    PASSIVE_REFUSED,
    /** PASV named another address than the public one. */
    PASSIVE_ADDRESS,
    /** PASV or EPSV named a port outside the declared range. */
    PASSIVE_PORT,
    /** The data port named did not accept a connection. */
    DATA_PORT,
    /** The data connection opened but the listing did not complete. */
    LISTING
  }

  public boolean ok() {
    return failure.isEmpty();
  }

  static ProbeResult success(
      String message, long millis, List<String> notes, Optional<String> pod, Instant at) {
    return new ProbeResult(Optional.empty(), message, millis, List.copyOf(notes), at, pod);
  }

  static ProbeResult failed(
      Failure failure,
      String message,
      long millis,
      List<String> notes,
      Optional<String> pod,
      Instant at) {
    return new ProbeResult(Optional.of(failure), message, millis, List.copyOf(notes), at, pod);
  }
}
