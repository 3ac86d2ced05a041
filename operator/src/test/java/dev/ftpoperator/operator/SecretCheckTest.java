package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCheckTest {

  @Test
  void missingUsersSecretIsAProblemWithAnActionableMessage() {
    assertThat(
            SecretCheck.problems(FtpServers.view(FtpServers.partners()), name -> Optional.empty()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.UsersSecretNotFound);
              assertThat(p.message()).contains("partners-users", "namespace ftp", "create it");
            });
  }

  @Test
  void tlsSecretMustExistAndHoldACertificateAndKey() {
    FtpServer ftp = FtpServers.partners();
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("partners-tls"));
    ftp.getSpec().setTls(tls);
    Secret users = new SecretBuilder().withData(Map.of("alice", "cw==")).build();
    Secret notTls = new SecretBuilder().withData(Map.of("password", "cw==")).build();
    Secret goodTls =
        new SecretBuilder().withData(Map.of("tls.crt", "Yw==", "tls.key", "aw==")).build();
    assertThat(
            SecretCheck.problems(
                FtpServers.view(ftp),
                n -> n.equals("partners-users") ? Optional.of(users) : Optional.empty()))
        .extracting(Problem::reason)
        .containsExactly(Reason.TlsSecretNotFound);
    assertThat(
            SecretCheck.problems(
                FtpServers.view(ftp),
                n -> Optional.of(n.equals("partners-users") ? users : notTls)))
        .extracting(Problem::reason)
        .containsExactly(Reason.TlsSecretInvalid);
    assertThat(
            SecretCheck.problems(
                FtpServers.view(ftp),
                n -> Optional.of(n.equals("partners-users") ? users : goodTls)))
        .isEmpty();
  }
}
