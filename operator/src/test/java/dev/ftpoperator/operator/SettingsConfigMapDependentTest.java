package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.ActiveMode;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsConfigMapDependentTest {

  @Test
  void writesTheFtpServerEnvironmentContract() {
    ConfigMap cm = SettingsConfigMapDependent.desired(FtpServers.view(FtpServers.partners()));
    assertThat(cm.getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "FTP_CONTROL_PORT", "2121",
                "FTP_BIND_ADDRESS", "0.0.0.0",
                "FTP_HTTP_PORT", "8080",
                "FTP_PASSIVE_PORTS", "30000-30019",
                "FTP_ACTIVE_ENABLED", "true",
                "FTP_ANONYMOUS_ENABLED", "false",
                "FTP_USERS_DIR", "/etc/ftp/users",
                "FTP_DATA_DIR", "/data",
                "FTP_PROBE_PASSWORD_FILE", "/etc/ftp/probe/password",
                "FTP_TLS_MODE", "none"));
  }

  @Test
  void tlsModeAndFilesFollowTheSpec() {
    FtpServer ftp = FtpServers.partners();
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("partners-tls"));
    tls.setMode(TlsMode.Required);
    ftp.getSpec().setTls(tls);
    ftp.getSpec().setActiveMode(new ActiveMode(false));
    ftp.getSpec().setAnonymous(true);
    Map<String, String> data = SettingsConfigMapDependent.desired(FtpServers.view(ftp)).getData();
    assertThat(data)
        .containsEntry("FTP_TLS_MODE", "required")
        .containsEntry("FTP_TLS_CERT_FILE", "/etc/ftp/tls/tls.crt")
        .containsEntry("FTP_TLS_KEY_FILE", "/etc/ftp/tls/tls.key")
        .containsEntry("FTP_TLS_SESSION_REUSE_REQUIRED", "true")
        .containsEntry("FTP_ACTIVE_ENABLED", "false")
        .containsEntry("FTP_ANONYMOUS_ENABLED", "true");
  }

  @Test
  void tlsSessionReuseCanBeRelaxedForClientsThatCannotResume() {
    FtpServer ftp = FtpServers.partners();
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("partners-tls"));
    tls.setRequireSessionReuse(false);
    ftp.getSpec().setTls(tls);
    assertThat(SettingsConfigMapDependent.desired(FtpServers.view(ftp)).getData())
        .containsEntry("FTP_TLS_MODE", "explicit")
        .containsEntry("FTP_TLS_SESSION_REUSE_REQUIRED", "false");
  }

  @Test
  void isNamedLabelledAndOwned() {
    ConfigMap cm = SettingsConfigMapDependent.desired(FtpServers.view(FtpServers.partners()));
    assertThat(cm.getMetadata().getName()).isEqualTo("partners-settings");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("ftp");
    assertThat(cm.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name", "ftp-server",
                "app.kubernetes.io/instance", "partners",
                "app.kubernetes.io/managed-by", "ftp-operator",
                "app.kubernetes.io/component", "settings"));
    assertThat(cm.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("FtpServer");
              assertThat(o.getName()).isEqualTo("partners");
              assertThat(o.getController()).isTrue();
            });
  }

  @Test
  void isPureAndItsHashChangesOnlyWithTheSettings() {
    FtpServer ftp = FtpServers.partners();
    assertThat(SettingsConfigMapDependent.desired(FtpServers.view(ftp)))
        .isEqualTo(SettingsConfigMapDependent.desired(FtpServers.view(ftp)));
    String before =
        SettingsConfigMapDependent.hash(SettingsConfigMapDependent.settings(FtpServers.view(ftp)));
    assertThat(
            SettingsConfigMapDependent.hash(
                SettingsConfigMapDependent.settings(FtpServers.view(ftp))))
        .isEqualTo(before);
    ftp.getSpec().getPassivePorts().setMax(30020);
    assertThat(
            SettingsConfigMapDependent.hash(
                SettingsConfigMapDependent.settings(FtpServers.view(ftp))))
        .isNotEqualTo(before);
  }
}
