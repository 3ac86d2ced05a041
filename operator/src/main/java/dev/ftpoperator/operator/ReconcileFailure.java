package dev.ftpoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * What a failed reconcile tells the user: the innermost cause's message, and whether trying again
 * can help. The API server's 422 (Unprocessable Entity) means it refused the change itself (an
 * immutable field, an invalid value): retrying the same change would fail forever.
 */
record ReconcileFailure(Reason reason, String message, boolean retry) {

  static final int MAX_MESSAGE = 500;

  static ReconcileFailure of(Throwable e) {
    boolean refused = false;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 422) {
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
}
