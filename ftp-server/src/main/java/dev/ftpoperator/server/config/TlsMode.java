package dev.ftpoperator.server.config;

import java.util.Locale;

/** How the server offers FTPS. */
public enum TlsMode {
  /** Plain FTP only. */
  NONE,
  /** AUTH TLS offered on the control port, plain FTP still allowed. */
  EXPLICIT,
  /** TLS from the first byte on the control port (the Service maps 990 to it). */
  IMPLICIT,
  /** AUTH TLS offered and mandatory before login, and PROT P mandatory for data. */
  REQUIRED;

  public static TlsMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "FTP_TLS_MODE must be none, explicit, implicit or required, got '" + text + "'");
    }
  }

  public boolean enabled() {
    return this != NONE;
  }
}
