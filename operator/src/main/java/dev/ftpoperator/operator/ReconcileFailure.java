package dev.ftpoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;

/**
 * What a failed reconcile tells the user: the innermost cause's message, and whether trying again
 * can help. Some refusals stay until the spec changes: a field the API server forbids to change
 * (422 with a FieldValueForbidden cause, e.g. a claim's immutable spec or a smaller size) and a
 * claim resize its StorageClass does not allow (403 from the resize admission). Retrying those
 * would fail forever; anything else (a port another Service holds, RBAC, the API server away) may
 * pass.
 */
record ReconcileFailure(Reason reason, String message, boolean retry) {

  static final int MAX_MESSAGE = 500;

  static ReconcileFailure of(Throwable e) {
    boolean refused = false;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && isPermanent(k)) {
        refused = true;
      }
      root = t;
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    m = m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
    return refused
        ? new ReconcileFailure(
            Reason.ChangeRefused,
            "The API server refused a change to an object this FtpServer owns; fix the spec: " + m,
            false)
        : new ReconcileFailure(
            Reason.ReconcileFailed, "Reconcile failed, retrying with back-off: " + m, true);
  }

  /**
   * Whether the reconcile was cut short because its thread was interrupted: the operator is
   * stopping (a rollout, a lost Lease), which says nothing about the FtpServer.
   */
  static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPermanent(KubernetesClientException e) {
    if (e.getCode() == 422 && e.getStatus() != null && e.getStatus().getDetails() != null) {
      return e.getStatus().getDetails().getCauses().stream()
          .anyMatch(c -> "FieldValueForbidden".equals(c.getReason()));
    }
    return e.getCode() == 403
        && e.getMessage() != null
        && e.getMessage().contains("only dynamically provisioned pvc can be resized");
  }
}
