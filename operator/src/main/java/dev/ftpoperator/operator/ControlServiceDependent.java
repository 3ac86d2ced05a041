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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Service: port 21 (990 for implicit FTPS) to the pod's 2121, and every passive port 1:1 (a
 * Service has no port ranges, kubernetes issue 23864). In NodePort mode each passive port is also
 * its node port, so the port in a PASV reply is reachable on the node.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Names.MANAGED_SELECTOR))
public class ControlServiceDependent extends CRUDKubernetesDependentResource<Service, FtpServer> {

  public ControlServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(FtpServer ftp, Context<FtpServer> context) {
    return build(ftp);
  }

  public static Service build(FtpServer ftp) {
    ServiceSpec spec = Spec.service(ftp);
    ServiceType type = Spec.serviceType(ftp);
    Map<String, String> annotations = spec.getAnnotations();
    ServiceBuilder builder =
        new ServiceBuilder()
            .withMetadata(Names.meta(ftp, Names.service(ftp), Names.COMPONENT_SERVICE))
            .withNewSpec()
            .withType(type.name())
            .withSelector(Names.selector(ftp))
            .withPorts(ports(ftp))
            .endSpec();
    if (annotations != null && !annotations.isEmpty()) {
      builder
          .editMetadata()
          .withAnnotations(new java.util.LinkedHashMap<>(annotations))
          .endMetadata();
    }
    if (type != ServiceType.ClusterIP) {
      builder.editSpec().withExternalTrafficPolicy(Spec.trafficPolicy(ftp).name()).endSpec();
    }
    if (type == ServiceType.LoadBalancer) {
      List<String> ranges = spec.getLoadBalancerSourceRanges();
      builder
          .editSpec()
          .withLoadBalancerClass(spec.getLoadBalancerClass())
          .withLoadBalancerSourceRanges(ranges == null || ranges.isEmpty() ? null : ranges)
          .endSpec();
    }
    Service service = builder.build();
    return Names.owned(service, ftp);
  }

  static List<ServicePort> ports(FtpServer ftp) {
    boolean nodePorts = Spec.serviceType(ftp) == ServiceType.NodePort;
    PassivePorts passive = Spec.passivePorts(ftp);
    List<ServicePort> ports = new ArrayList<>(passive.count() + 1);
    ports.add(
        new ServicePortBuilder()
            .withName(Spec.servicePortName(ftp))
            .withProtocol("TCP")
            .withPort(Spec.servicePort(ftp))
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
   * and node ports known, or set in the spec). The Deployment depends on it.
   */
  public static class AddressKnown implements Condition<Service, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<Service, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      Optional<PublicAddressResolver.PublicAddress> address = ClusterView.address(ftp, context);
      // what this check saw is what the Deployment gets in the same workflow run, whatever the
      // informer caches learn in between
      address.ifPresent(
          a ->
              context.managedWorkflowAndDependentResourceContext().put(ClusterView.ADDRESS_KEY, a));
      return address.isPresent();
    }
  }
}
