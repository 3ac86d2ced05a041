package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts reconciles per FtpServer through java-operator-sdk's metrics hook, so a test can tell that
 * a reconcile ran (and that none is running) without any counter in the operator itself.
 */
final class ReconcileCounter implements Metrics {

  private final Map<ResourceID, AtomicLong> started = new ConcurrentHashMap<>();
  private final Map<ResourceID, AtomicLong> finished = new ConcurrentHashMap<>();

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    count(started, resource);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    count(finished, resource);
  }

  private static void count(Map<ResourceID, AtomicLong> counts, HasMetadata resource) {
    counts
        .computeIfAbsent(ResourceID.fromResource(resource), k -> new AtomicLong())
        .incrementAndGet();
  }

  long finished(String namespace, String name) {
    AtomicLong n = finished.get(new ResourceID(name, namespace));
    return n == null ? 0 : n.get();
  }

  /** Reconciles started, of every FtpServer. */
  long started() {
    return started.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** True while a reconcile of that FtpServer is executing. */
  boolean running(String namespace, String name) {
    ResourceID id = new ResourceID(name, namespace);
    long begun = started.getOrDefault(id, new AtomicLong()).get();
    return begun != finished(namespace, name);
  }
}
