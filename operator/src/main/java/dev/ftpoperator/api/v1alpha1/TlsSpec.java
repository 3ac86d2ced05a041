package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** FTPS. */
@ValidationRule(
    value = "has(self.secretRef)",
    message =
        "tls.mode needs tls.secretRef.name: a kubernetes.io/tls Secret with tls.crt and tls.key"
            + " (cert-manager can fill it)")
@JsonIgnoreProperties(ignoreUnknown = true)
public class TlsSpec {

  @JsonPropertyDescription(
      "kubernetes.io/tls Secret (tls.crt, tls.key in PEM) mounted at /etc/ftp/tls."
          + " Required when tls is set.")
  private SecretRef secretRef;

  @Default("Explicit")
  @JsonPropertyDescription(
      "Explicit (default): AUTH TLS offered on port 21, plain FTP still allowed; Required: AUTH TLS"
          + " required before login; Implicit: TLS from the first byte, served on Service port 990.")
  private TlsMode mode;

  @Default("true")
  @JsonPropertyDescription(
      "A protected data connection must resume the control connection's TLS session, which proves"
          + " it comes from the same client (like vsftpd's require_ssl_reuse). curl, lftp, FileZilla"
          + " and WinSCP do this; Java (commons-net) and Python ftplib clients do not: set false for"
          + " them.")
  private Boolean requireSessionReuse;

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }

  public Boolean getRequireSessionReuse() {
    return requireSessionReuse;
  }

  public void setRequireSessionReuse(Boolean requireSessionReuse) {
    this.requireSessionReuse = requireSessionReuse;
  }

  public TlsMode getMode() {
    return mode;
  }

  public void setMode(TlsMode mode) {
    this.mode = mode;
  }
}
