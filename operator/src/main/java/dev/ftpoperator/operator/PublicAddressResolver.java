package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the address the FTP server advertises in PASV replies, in this order:
 *
 * <ol>
 *   <li>{@code spec.passiveAddress} when set (any Service type);
 *   <li>type LoadBalancer: the Service's {@code status.loadBalancer.ingress[0]} IP, else hostname;
 *   <li>type NodePort: a Ready node (matching spec.nodeSelector, first by name) with an ExternalIP,
 *       else one with an InternalIP; node ports equal the passive ports;
 *   <li>type ClusterIP: the Service's ClusterIP. Only in-cluster clients can reach it, so the
 *       server does not refuse PASV without a public address ({@code requirePublicAddress} false).
 * </ol>
 *
 * Empty until the address is known: the Deployment is not created before, so the first pod already
 * advertises the right address. Pure: it reads only its arguments.
 */
public final class PublicAddressResolver {

  /** Where an address came from. */
  public enum Source {
    PASSIVE_ADDRESS(Reason.PassiveAddressSet, "spec.passiveAddress"),
    LOAD_BALANCER_IP(Reason.LoadBalancerAddress, "the load balancer's IP"),
    LOAD_BALANCER_HOSTNAME(Reason.LoadBalancerAddress, "the load balancer's hostname"),
    NODE_EXTERNAL_IP(Reason.NodeAddress, "node ExternalIP"),
    NODE_INTERNAL_IP(Reason.NodeAddress, "node InternalIP"),
    CLUSTER_IP(Reason.ClusterIP, "the Service's ClusterIP");

    /** Reason of the AddressAssigned condition. */
    public final Reason reason;

    public final String description;

    Source(Reason reason, String description) {
      this.reason = reason;
      this.description = description;
    }
  }

  /**
   * A resolved address.
   *
   * @param address IP or DNS name for FTP_PUBLIC_ADDRESS
   * @param source where it came from
   * @param port the port clients connect to (21, 990, or the control node port)
   * @param node the node whose address it is (NodePort mode), else null
   * @param requirePublicAddress FTP_REQUIRE_PUBLIC_ADDRESS: false only in ClusterIP mode
   */
  public record PublicAddress(
      String address, Source source, int port, String node, boolean requirePublicAddress) {

    /** What clients use, e.g. {@code ftp://203.0.113.7:21}. */
    public String endpoint(boolean implicitTls) {
      String host = address.contains(":") ? "[" + address + "]" : address;
      return (implicitTls ? "ftps://" : "ftp://") + host + ":" + port;
    }
  }

  private PublicAddressResolver() {}

  /**
   * @param spec the FtpServer's spec, defaults applied
   * @param service its control Service as the API server has it, if it exists
   * @param nodes the cluster's nodes (used in NodePort mode only)
   */
  public static Optional<PublicAddress> resolve(
      FtpServerSpec spec, Optional<Service> service, Collection<Node> nodes) {
    ServiceType type = spec.getService().getType();
    int servicePort = ResolvedFtpServer.servicePort(spec);
    boolean require = type != ServiceType.ClusterIP;
    String passiveAddress = spec.getPassiveAddress();
    if (passiveAddress != null && !passiveAddress.isBlank()) {
      int port =
          type == ServiceType.NodePort
              ? controlNodePort(servicePort, service).orElse(-1)
              : servicePort;
      if (port < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new PublicAddress(passiveAddress, Source.PASSIVE_ADDRESS, port, null, require));
    }
    return switch (type) {
      case LoadBalancer ->
          service
              .flatMap(PublicAddressResolver::loadBalancerIngress)
              .map(a -> new PublicAddress(a.address(), a.source(), servicePort, null, true));
      case NodePort ->
          nodeAddress(spec, nodes)
              .flatMap(
                  n ->
                      controlNodePort(servicePort, service)
                          .map(p -> new PublicAddress(n.address(), n.source(), p, n.node(), true)));
      case ClusterIP ->
          service
              .map(s -> s.getSpec().getClusterIP())
              .filter(ip -> !ip.isBlank() && !"None".equals(ip))
              .map(ip -> new PublicAddress(ip, Source.CLUSTER_IP, servicePort, null, false));
    };
  }

  private record Found(String address, Source source, String node) {}

  static Optional<Found> loadBalancerIngress(Service service) {
    if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null) {
      return Optional.empty();
    }
    List<LoadBalancerIngress> ingress = service.getStatus().getLoadBalancer().getIngress();
    if (ingress == null || ingress.isEmpty()) {
      return Optional.empty();
    }
    LoadBalancerIngress first = ingress.get(0);
    if (first.getIp() != null && !first.getIp().isBlank()) {
      return Optional.of(new Found(first.getIp(), Source.LOAD_BALANCER_IP, null));
    }
    if (first.getHostname() != null && !first.getHostname().isBlank()) {
      return Optional.of(new Found(first.getHostname(), Source.LOAD_BALANCER_HOSTNAME, null));
    }
    return Optional.empty();
  }

  /** The node port of the control port, once the API server has assigned it. */
  static Optional<Integer> controlNodePort(int servicePort, Optional<Service> service) {
    return service.flatMap(
        s ->
            s.getSpec().getPorts().stream()
                .filter(p -> Objects.equals(p.getPort(), servicePort))
                .map(ServicePort::getNodePort)
                .filter(Objects::nonNull)
                .findFirst());
  }

  static Optional<Found> nodeAddress(FtpServerSpec spec, Collection<Node> nodes) {
    List<Node> candidates =
        nodes.stream()
            .filter(PublicAddressResolver::isReady)
            .filter(n -> matchesSelector(n, spec.getNodeSelector()))
            .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
            .toList();
    for (String type : List.of("ExternalIP", "InternalIP")) {
      for (Node node : candidates) {
        Optional<String> address = address(node, type);
        if (address.isPresent()) {
          Source source =
              type.equals("ExternalIP") ? Source.NODE_EXTERNAL_IP : Source.NODE_INTERNAL_IP;
          return Optional.of(new Found(address.get(), source, node.getMetadata().getName()));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> address(Node node, String type) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return Optional.empty();
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> type.equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(a -> a != null && !a.isBlank())
        .findFirst();
  }

  static boolean isReady(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    return node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean matchesSelector(Node node, Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }
}
