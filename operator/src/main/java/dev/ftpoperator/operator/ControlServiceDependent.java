package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Service: port 21 (990 for implicit FTPS) to the pod's 2121, and every passive port 1:1 (a
 * Service has no port ranges, kubernetes issue 23864). In NodePort mode each passive port is also
 * its node port, so the port in a PASV reply is reachable on the node.
 */
// its own informer: the per-pod Services of replicated FtpServers have theirs
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector =
                Names.MANAGED_SELECTOR
                    + ","
                    + Names.LABEL_COMPONENT
                    + "="
                    + Names.COMPONENT_SERVICE,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class ControlServiceDependent extends CRUDKubernetesDependentResource<Service, FtpServer> {

  public ControlServiceDependent() {
    super(Service.class);
  }

  /** By name: java-operator-sdk would otherwise build desired() once more just to learn it. */
  @Override
  protected ResourceID targetSecondaryResourceID(FtpServer primary, Context<FtpServer> context) {
    return new ResourceID(Names.service(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  public static Service desired(ResolvedFtpServer ftp) {
    ServiceSpec spec = ftp.service();
    ServiceType type = ftp.serviceType();
    Map<String, String> annotations = spec.getAnnotations();
    ServiceBuilder builder =
        new ServiceBuilder()
            .withMetadata(Names.meta(ftp.ftp(), Names.service(ftp.ftp()), Names.COMPONENT_SERVICE))
            .withNewSpec()
            .withType(type.name())
            .withSelector(Names.selector(ftp.ftp()))
            .withPorts(ports(ftp))
            .endSpec();
    if (annotations != null && !annotations.isEmpty()) {
      builder.editMetadata().withAnnotations(new LinkedHashMap<>(annotations)).endMetadata();
    }
    if (type != ServiceType.ClusterIP) {
      builder.editSpec().withExternalTrafficPolicy(ftp.trafficPolicy().name()).endSpec();
    }
    if (type == ServiceType.LoadBalancer) {
      List<String> ranges = spec.getLoadBalancerSourceRanges();
      builder
          .editSpec()
          .withLoadBalancerClass(spec.getLoadBalancerClass())
          .withLoadBalancerSourceRanges(ranges == null || ranges.isEmpty() ? null : ranges)
          .endSpec();
    }
    return Names.owned(builder.build(), ftp.ftp());
  }

  static List<ServicePort> ports(ResolvedFtpServer ftp) {
    boolean nodePorts = ftp.serviceType() == ServiceType.NodePort;
    PassivePorts passive = ftp.passivePorts();
    List<ServicePort> ports = new ArrayList<>(passive.count() + 1);
    ports.add(
        new ServicePortBuilder()
            .withName(ftp.servicePortName())
            .withProtocol("TCP")
            .withPort(ftp.servicePort())
            .withTargetPort(new IntOrString(PassivePorts.CONTROL_PORT))
            .build());
    for (int port = passive.getMin(); port <= passive.getMax(); port++) {
      ports.add(
          new ServicePortBuilder()
              .withName(passivePortName(port))
              .withProtocol("TCP")
              .withPort(port)
              .withTargetPort(new IntOrString(port))
              .withNodePort(nodePorts ? port : null)
              .build());
    }
    return ports;
  }

  static String passivePortName(int port) {
    return "pasv-" + port;
  }

  /**
   * Ready postcondition: the public address is known (load balancer address assigned, node address
   * and node port known, or set in the spec). The Deployment depends on it, so its first pod
   * already advertises the right address.
   */
  public static class AddressKnown implements Condition<Service, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<Service, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).address().isPresent();
    }
  }
}
