package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

class DisruptionBudgetDependentTest {

  @Test
  void letsOneServerPodAtATimeBeEvicted() {
    PodDisruptionBudget pdb =
        DisruptionBudgetDependent.desired(
            FtpServers.view(FtpServers.replicated(FtpServers.partners(), 3)));
    assertThat(pdb.getMetadata().getName()).isEqualTo("partners");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/instance", "partners")
        .containsEntry("app.kubernetes.io/name", "ftp-server");
  }
}
