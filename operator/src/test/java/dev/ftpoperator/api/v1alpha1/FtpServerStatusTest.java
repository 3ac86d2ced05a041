package dev.ftpoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FtpServerStatusTest {

  static FtpServerStatus status() {
    FtpServerStatus status = new FtpServerStatus();
    status.setObservedGeneration(3L);
    status.setEndpoint("ftp://203.0.113.7:21");
    status.setConditions(
        List.of(new ConditionBuilder().withType("Ready").withStatus("True").build()));
    return status;
  }

  @Test
  void equalityFollowsEveryFieldOfTheData() {
    assertThat(status()).isEqualTo(status()).hasSameHashCodeAs(status());
    FtpServerStatus other = status();
    other.setWarnings(List.of("a warning"));
    assertThat(other).isNotEqualTo(status());
    other = status();
    other.getConditions().get(0).setReason("Changed");
    assertThat(other).isNotEqualTo(status());
    other = status();
    other.setReadyReplicas(1);
    assertThat(other).isNotEqualTo(status());
  }
}
