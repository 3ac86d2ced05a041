package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClusterSecretDependentTest {

  @Test
  void holdsTheGivenBytesUnderKeySecretImmutable() {
    byte[] bytes = new byte[48];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    Secret s =
        ClusterSecretDependent.desired(
            FtpServers.view(FtpServers.replicated(FtpServers.partners(), 3)), bytes);
    assertThat(s.getMetadata().getName()).isEqualTo("partners-cluster");
    assertThat(Base64.getDecoder().decode(s.getData().get("secret"))).isEqualTo(bytes);
    assertThat(s.getImmutable()).isTrue();
    assertThat(s.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void isOnlyEverCreatedNeverUpdated() {
    assertThat(Creator.class).isAssignableFrom(ClusterSecretDependent.class);
    assertThat(Updater.class.isAssignableFrom(ClusterSecretDependent.class)).isFalse();
  }
}
