package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class ReconcileFailureTest {

  @Test
  void aChangeTheApiServerRefusedIsReportedAndNotRetried() {
    Exception e =
        new IllegalStateException(
            "apply failed",
            new KubernetesClientException(
                "PersistentVolumeClaim \"x-data\" is invalid: spec: Forbidden", 422, null));
    ReconcileFailure failure = ReconcileFailure.of(e);
    assertThat(failure.reason()).isEqualTo(Reason.ChangeRefused);
    assertThat(failure.retry()).isFalse();
    assertThat(failure.message()).contains("x-data", "is invalid");
  }

  @Test
  void otherFailuresAreRetriedWithTheInnermostMessage() {
    Exception e =
        new RuntimeException("outer", new KubernetesClientException("connection refused", 0, null));
    ReconcileFailure failure = ReconcileFailure.of(e);
    assertThat(failure.reason()).isEqualTo(Reason.ReconcileFailed);
    assertThat(failure.retry()).isTrue();
    assertThat(failure.message()).endsWith("connection refused");
  }

  @Test
  void longMessagesAreCut() {
    ReconcileFailure failure = ReconcileFailure.of(new RuntimeException("x".repeat(2000)));
    assertThat(failure.message().length()).isLessThan(ReconcileFailure.MAX_MESSAGE + 100);
  }
}
