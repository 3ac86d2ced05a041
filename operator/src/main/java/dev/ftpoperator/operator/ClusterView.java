package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;

/** Reads what the address resolution needs from the operator's informer caches (no API calls). */
final class ClusterView {

  /** Name of the Node informer the reconciler registers. */
  static final String NODES = "nodes";

  /** Key of the address the Service's postcondition resolved, in the workflow's context. */
  static final String ADDRESS_KEY = "ftp.operator.dev/public-address";

  private ClusterView() {}

  static Optional<Service> service(Context<FtpServer> context) {
    return context.getSecondaryResource(Service.class);
  }

  /** The nodes, only needed (and only read) in NodePort mode. */
  @SuppressWarnings("unchecked")
  static List<Node> nodes(FtpServer ftp, Context<FtpServer> context) {
    if (Spec.serviceType(ftp) != ServiceType.NodePort) {
      return List.of();
    }
    EventSource<Node, FtpServer> source =
        context.eventSourceRetriever().getEventSourceFor(Node.class, NODES);
    return ((InformerEventSource<Node, FtpServer>) source).list(n -> true).toList();
  }

  static Optional<PublicAddressResolver.PublicAddress> address(
      FtpServer ftp, Context<FtpServer> context) {
    return PublicAddressResolver.resolve(ftp, service(context), nodes(ftp, context));
  }
}
