package dev.ftpoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class FtpServerDeserializationTest {

  @Test
  void fieldsFromANewerCrdAreIgnoredInsteadOfFailingTheWatch() {
    String yaml =
        """
        apiVersion: ftp.operator.dev/v1alpha1
        kind: FtpServer
        metadata: {name: partners, namespace: ftp}
        spec:
          someFutureField: 7
          users: {secretRef: {name: partners-users, futureKey: x}}
          passivePorts: {min: 30000, max: 30019, futureStride: 2}
          service: {type: LoadBalancer, futureKnob: true}
          storage: {size: 10Gi, future: {}}
          tls: {secretRef: {name: cert}, futureCipher: y}
          activeMode: {enabled: false, future: 1}
        status:
          futureStatus: z
          publicAddress: 203.0.113.7
        """;
    FtpServer ftp = Serialization.unmarshal(yaml, FtpServer.class);
    assertThat(ftp.getSpec().getUsers().getSecretRef().getName()).isEqualTo("partners-users");
    assertThat(ftp.getSpec().getPassivePorts().getMax()).isEqualTo(30019);
    assertThat(ftp.getSpec().getActiveMode().getEnabled()).isFalse();
    assertThat(ftp.getStatus().getPublicAddress()).isEqualTo("203.0.113.7");
  }
}
