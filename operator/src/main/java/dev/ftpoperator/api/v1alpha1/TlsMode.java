package dev.ftpoperator.api.v1alpha1;

import java.util.Locale;

/** FTPS modes. */
public enum TlsMode {
  /** AUTH TLS offered on the control port; plain FTP still allowed. */
  Explicit,
  /** AUTH TLS offered and required before login. */
  Required,
  /** Implicit FTPS: TLS from the first byte, on Service port 990. */
  Implicit;

  /** The value of the server's FTP_TLS_MODE. */
  public String envValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
