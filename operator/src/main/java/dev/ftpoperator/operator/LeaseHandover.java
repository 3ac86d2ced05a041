package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.jboss.logging.Logger;

/**
 * What the leader does when it stops leading. java-operator-sdk 5.2 never releases the Lease (its
 * elector is built with releaseOnCancel off), so a standby would wait for the Lease to expire, a
 * full lease duration, after every rollout of the operator. Here a leader that stops on purpose
 * hands the Lease over once its reconciles have ended: it empties the holder, as client-go's
 * ReleaseOnCancel does, and a standby takes it at its next retry. A leader that loses the Lease
 * while it runs calls {@code onLostLease} (the app exits, so that its pod restarts as a standby
 * with clean caches) and leaves the Lease alone: someone else may hold it.
 *
 * <p>java-operator-sdk's own exit on a lost Lease must stay off ({@code exitOnStopLeading}): during
 * a shutdown it would call {@code System.exit} inside the JVM's shutdown hook, which blocks that
 * hook for good, so the pod would only end when the kubelet kills it.
 */
final class LeaseHandover {

  private static final Logger LOG = Logger.getLogger(LeaseHandover.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Runnable onLostLease;
  private volatile boolean stopping;

  LeaseHandover(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Runnable onLostLease) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.onLostLease = onLostLease;
  }

  /** Called before the operator stops: a stop of leading from now on is a handover. */
  void operatorStopping() {
    stopping = true;
  }

  /**
   * The callbacks for java-operator-sdk's elector. Its {@code Operator.stop()} stops the elector
   * only after the reconcile executors have ended, so a release then cannot overlap the next
   * leader's reconciles.
   */
  LeaderCallbacks callbacks() {
    return new LeaderCallbacks(() -> {}, this::stoppedLeading, leader -> {});
  }

  private void stoppedLeading() {
    if (stopping) {
      release();
    } else {
      LOG.errorf("Lost the leader Lease %s/%s while running", namespace, name);
      onLostLease.run();
    }
  }

  /**
   * Empties the holder if it is still this operator, with the Lease's resourceVersion as the
   * precondition, so a Lease another replica has taken meanwhile is never touched.
   */
  private void release() {
    try {
      Lease lease = client.resources(Lease.class).inNamespace(namespace).withName(name).get();
      if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      client.resource(lease).update();
      LOG.infof("Released the leader Lease %s/%s for a standby", namespace, name);
    } catch (KubernetesClientException e) {
      // the Lease then expires as it would have without the handover
      LOG.warnf("Could not release the leader Lease %s/%s: %s", namespace, name, e.getMessage());
    }
  }
}
