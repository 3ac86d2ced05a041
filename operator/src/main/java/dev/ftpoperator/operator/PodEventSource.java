package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pods of replicated FtpServers (StatefulSet pods the operator's template labelled; a
 * one-replica server's pod is not watched), so status.pods shows which ones are ready. They belong
 * to the StatefulSet, not to the FtpServer: mapped back through the instance label.
 */
final class PodEventSource {

  static final String NAME = "pods";

  static final String SELECTOR =
      Names.MANAGED_SELECTOR
          + ","
          + Names.LABEL_COMPONENT
          + "="
          + Names.COMPONENT_SERVER
          + ","
          + Names.LABEL_POD_NAME;

  private PodEventSource() {}

  static InformerEventSource<Pod, FtpServer> create(EventSourceContext<FtpServer> context) {
    InformerEventSourceConfiguration<Pod> pods =
        InformerEventSourceConfiguration.from(Pod.class, FtpServer.class)
            .withName(NAME)
            .withLabelSelector(SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(PodEventSource::owner)
            .withItemStore(new StoreWithoutManagedFields<>())
            .withInformerListLimit(FtpServerReconciler.LIST_PAGE)
            .build();
    return new InformerEventSource<>(pods, context);
  }

  private static Set<ResourceID> owner(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(Names.LABEL_INSTANCE);
    return instance == null
        ? Set.of()
        : Set.of(new ResourceID(instance, pod.getMetadata().getNamespace()));
  }

  /** The FtpServer's pods as the informer has them; only read for replicated FtpServers. */
  @SuppressWarnings("unchecked")
  static List<Pod> pods(ResolvedFtpServer ftp, Context<FtpServer> context) {
    if (!ftp.replicated()) {
      return List.of();
    }
    InformerEventSource<Pod, FtpServer> source =
        (InformerEventSource<Pod, FtpServer>)
            context.eventSourceRetriever().getEventSourceFor(Pod.class, NAME);
    return source
        .list(
            ftp.namespace(),
            p ->
                p.getMetadata().getLabels() != null
                    && ftp.name().equals(p.getMetadata().getLabels().get(Names.LABEL_INSTANCE)))
        .toList();
  }
}
