package dev.ftpoperator.server.cluster;

import java.io.IOException;
import java.util.Locale;

/** Why the relay listener turned a connection away; each reason is a metric label. */
public final class RelayRefusal extends IOException {

  /** Reasons, in the order a connection is checked. */
  public enum Reason {
    /** No complete header within the header timeout. */
    TIMEOUT,
    /** Not a PROXY v2 header this server sends (signature, version, command, family, size). */
    BAD_HEADER,
    /** No authentication TLV, or its HMAC does not match the shared secret. */
    BAD_HMAC,
    /** Authenticated, but the sender's ordinal is not another replica of this cluster. */
    NOT_PEER,
    /** The timestamp lies outside the replay window. */
    STALE,
    /** The nonce was seen before within the window. */
    REPLAYED,
    /** The port is not in this pod's slice (the sender's slice map differs, e.g. while scaling). */
    NOT_OWNER;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  public RelayRefusal(Reason reason, String message) {
    super(reason.label() + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
