package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The Node informer: nodes give the address in NodePort mode, so a change of a node's addresses,
 * readiness or labels re-reconciles the NodePort FtpServers (and nothing else).
 */
final class NodeEventSource {

  static final String NAME = "nodes";

  private NodeEventSource() {}

  static InformerEventSource<Node, FtpServer> create(EventSourceContext<FtpServer> context) {
    InformerEventSourceConfiguration<Node> nodes =
        InformerEventSourceConfiguration.from(Node.class, FtpServer.class)
            .withName(NAME)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                node ->
                    context
                        .getPrimaryCache()
                        .list(NodeEventSource::isNodePort)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(NodeEventSource::changesAnAddress)
            .withItemStore(new StoreWithoutManagedFields<>())
            .withInformerListLimit(FtpServerReconciler.LIST_PAGE)
            .build();
    return new InformerEventSource<>(nodes, context);
  }

  /** The nodes as the informer has them; only read for NodePort FtpServers. */
  @SuppressWarnings("unchecked")
  static List<Node> nodes(FtpServer ftp, Context<FtpServer> context) {
    if (!isNodePort(ftp)) {
      return List.of();
    }
    InformerEventSource<Node, FtpServer> source =
        (InformerEventSource<Node, FtpServer>)
            context.eventSourceRetriever().getEventSourceFor(Node.class, NAME);
    return source.list(n -> true).toList();
  }

  /** Read from the spec as stored: NodePort is never a default, so an unset type is not one. */
  private static boolean isNodePort(FtpServer ftp) {
    return ftp.getSpec().getService() != null
        && ftp.getSpec().getService().getType() == ServiceType.NodePort;
  }

  static boolean changesAnAddress(Node newNode, Node oldNode) {
    return !Objects.equals(
            newNode.getStatus() == null ? null : newNode.getStatus().getAddresses(),
            oldNode.getStatus() == null ? null : oldNode.getStatus().getAddresses())
        || PublicAddressResolver.isReady(newNode) != PublicAddressResolver.isReady(oldNode)
        || !Objects.equals(newNode.getMetadata().getLabels(), oldNode.getMetadata().getLabels());
  }
}
