package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import org.junit.jupiter.api.Test;

class ReconcileFailureTest {

  @Test
  void anInterruptedReconcileIsToldApartFromAFailedOne() {
    Exception stopping =
        new KubernetesClientException(
            "operation interrupted",
            new InterruptedIOException("interrupted while waiting for a response"));
    Exception wrapped = new IllegalStateException("apply failed", new InterruptedException());
    assertThat(ReconcileFailure.interrupted(stopping)).isTrue();
    assertThat(ReconcileFailure.interrupted(wrapped)).isTrue();
    assertThat(
            ReconcileFailure.interrupted(
                new KubernetesClientException("Service \"x\" is invalid: port is allocated")))
        .isFalse();
  }

  @Test
  void aChangeTheApiServerRefusedIsReportedAndNotRetried() {
    Exception e =
        new IllegalStateException(
            "apply failed",
            new KubernetesClientException(
                new StatusBuilder()
                    .withCode(422)
                    .withMessage("PersistentVolumeClaim \"x-data\" is invalid: spec: Forbidden")
                    .withNewDetails()
                    .addNewCause()
                    .withReason("FieldValueForbidden")
                    .withField("spec")
                    .endCause()
                    .endDetails()
                    .build()));
    ReconcileFailure failure = ReconcileFailure.of(e);
    assertThat(failure.reason()).isEqualTo(Reason.ChangeRefused);
    assertThat(failure.retry()).isFalse();
    assertThat(failure.message()).contains("x-data", "is invalid");
  }

  @Test
  void aResizeTheStorageClassDoesNotAllowIsNotRetried() {
    ReconcileFailure failure =
        ReconcileFailure.of(
            new KubernetesClientException(
                "persistentvolumeclaims \"x-data\" is forbidden: only dynamically provisioned pvc"
                    + " can be resized and the storageclass that provisions the pvc must support"
                    + " resize",
                403,
                null));
    assertThat(failure.reason()).isEqualTo(Reason.ChangeRefused);
    assertThat(failure.retry()).isFalse();
  }

  @Test
  void aPortAnotherServiceHoldsIsRetried() {
    ReconcileFailure failure =
        ReconcileFailure.of(
            new KubernetesClientException(
                new StatusBuilder()
                    .withCode(422)
                    .withMessage(
                        "spec.ports[1].nodePort: Invalid value: 30001: provided port is already allocated")
                    .withNewDetails()
                    .addNewCause()
                    .withReason("FieldValueInvalid")
                    .endCause()
                    .endDetails()
                    .build()));
    assertThat(failure.retry()).isTrue();
    assertThat(failure.reason()).isEqualTo(Reason.ReconcileFailed);
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
