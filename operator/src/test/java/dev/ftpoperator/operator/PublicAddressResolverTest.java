package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublicAddressResolverTest {

  static Service serviceWithIngress(FtpServer ftp, String ip, String hostname) {
    Service service = ControlServiceDependent.desired(FtpServers.view(ftp));
    service.setStatus(
        new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
            .withNewLoadBalancer()
            .addNewIngress()
            .withIp(ip)
            .withHostname(hostname)
            .endIngress()
            .endLoadBalancer()
            .build());
    return service;
  }

  static Service withNodePorts(Service service, int controlNodePort) {
    service
        .getSpec()
        .getPorts()
        .forEach(
            p -> {
              if (p.getNodePort() == null) {
                p.setNodePort(controlNodePort);
              }
            });
    return service;
  }

  static Node node(
      String name, boolean ready, Map<String, String> labels, String... typeAndAddress) {
    NodeBuilder builder =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    for (int i = 0; i < typeAndAddress.length; i += 2) {
      builder
          .editStatus()
          .addNewAddress()
          .withType(typeAndAddress[i])
          .withAddress(typeAndAddress[i + 1])
          .endAddress()
          .endStatus();
    }
    return builder.build();
  }

  @Test
  void loadBalancerModeWaitsWithoutIngress() {
    FtpServer ftp = FtpServers.partners();
    assertThat(
            PublicAddressResolver.resolve(FtpServers.defaulted(ftp), Optional.empty(), List.of()))
        .isEmpty();
    assertThat(
            PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp),
                Optional.of(ControlServiceDependent.desired(FtpServers.view(ftp))),
                List.of()))
        .isEmpty();
  }

  @Test
  void loadBalancerIpIsAdvertisedWithPort21AndRequired() {
    FtpServer ftp = FtpServers.partners();
    PublicAddress address =
        PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp),
                Optional.of(serviceWithIngress(ftp, "203.0.113.7", null)),
                List.of())
            .orElseThrow();
    assertThat(address.address()).isEqualTo("203.0.113.7");
    assertThat(address.source()).isEqualTo(Source.LOAD_BALANCER_IP);
    assertThat(address.requirePublicAddress()).isTrue();
    assertThat(address.endpoint(false)).isEqualTo("ftp://203.0.113.7:21");
  }

  @Test
  void loadBalancerHostnameIsUsedWhenThereIsNoIp() {
    FtpServer ftp = FtpServers.partners();
    PublicAddress address =
        PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp),
                Optional.of(serviceWithIngress(ftp, null, "abc.elb.example.com")),
                List.of())
            .orElseThrow();
    assertThat(address.address()).isEqualTo("abc.elb.example.com");
    assertThat(address.source()).isEqualTo(Source.LOAD_BALANCER_HOSTNAME);
  }

  @Test
  void passiveAddressWinsOverTheLoadBalancerAndNeedsNoService() {
    FtpServer ftp = FtpServers.partners();
    ftp.getSpec().setPassiveAddress("ftp.example.com");
    assertThat(
            PublicAddressResolver.resolve(FtpServers.defaulted(ftp), Optional.empty(), List.of()))
        .map(PublicAddress::address)
        .contains("ftp.example.com");
    assertThat(
            PublicAddressResolver.resolve(
                    FtpServers.defaulted(ftp),
                    Optional.of(serviceWithIngress(ftp, "203.0.113.7", null)),
                    List.of())
                .orElseThrow()
                .source())
        .isEqualTo(Source.PASSIVE_ADDRESS);
  }

  @Test
  void implicitTlsAdvertisesPort990() {
    FtpServer ftp = FtpServers.partners();
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("cert"));
    tls.setMode(TlsMode.Implicit);
    ftp.getSpec().setTls(tls);
    PublicAddress address =
        PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp),
                Optional.of(serviceWithIngress(ftp, "203.0.113.7", null)),
                List.of())
            .orElseThrow();
    assertThat(address.endpoint(true)).isEqualTo("ftps://203.0.113.7:990");
  }

  @Test
  void nodePortModePrefersExternalIpOfAReadyNodeAndTheControlNodePort() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.NodePort);
    Service service = withNodePorts(ControlServiceDependent.desired(FtpServers.view(ftp)), 31021);
    List<Node> nodes =
        List.of(
            node("a-not-ready", false, Map.of(), "ExternalIP", "198.51.100.1"),
            node("b-internal", true, Map.of(), "InternalIP", "10.0.0.2"),
            node(
                "c-external",
                true,
                Map.of(),
                "InternalIP",
                "10.0.0.3",
                "ExternalIP",
                "198.51.100.3"));
    PublicAddress address =
        PublicAddressResolver.resolve(FtpServers.defaulted(ftp), Optional.of(service), nodes)
            .orElseThrow();
    assertThat(address.address()).isEqualTo("198.51.100.3");
    assertThat(address.source()).isEqualTo(Source.NODE_EXTERNAL_IP);
    assertThat(address.node()).isEqualTo("c-external");
    assertThat(address.endpoint(false)).isEqualTo("ftp://198.51.100.3:31021");
  }

  @Test
  void nodePortModeFallsBackToInternalIpAndHonoursTheNodeSelector() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.NodePort);
    ftp.getSpec().setNodeSelector(Map.of("ftp", "yes"));
    Service service = withNodePorts(ControlServiceDependent.desired(FtpServers.view(ftp)), 31021);
    List<Node> nodes =
        List.of(
            node("a", true, Map.of(), "InternalIP", "10.0.0.1"),
            node("b", true, Map.of("ftp", "yes"), "InternalIP", "10.0.0.2"));
    PublicAddress address =
        PublicAddressResolver.resolve(FtpServers.defaulted(ftp), Optional.of(service), nodes)
            .orElseThrow();
    assertThat(address.address()).isEqualTo("10.0.0.2");
    assertThat(address.source()).isEqualTo(Source.NODE_INTERNAL_IP);
  }

  @Test
  void nodePortModeWaitsForTheControlNodePortAndForANode() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.NodePort);
    List<Node> nodes = List.of(node("a", true, Map.of(), "InternalIP", "10.0.0.1"));
    assertThat(
            PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp),
                Optional.of(ControlServiceDependent.desired(FtpServers.view(ftp))),
                nodes))
        .isEmpty();
    assertThat(
            PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp),
                Optional.of(
                    withNodePorts(ControlServiceDependent.desired(FtpServers.view(ftp)), 31021)),
                List.of()))
        .isEmpty();
  }

  @Test
  void clusterIpModeAdvertisesTheClusterIpWithoutRequiringAPublicAddress() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.ClusterIP);
    Service service = ControlServiceDependent.desired(FtpServers.view(ftp));
    assertThat(
            PublicAddressResolver.resolve(
                FtpServers.defaulted(ftp), Optional.of(service), List.of()))
        .isEmpty();
    service.getSpec().setClusterIP("10.96.0.42");
    PublicAddress address =
        PublicAddressResolver.resolve(FtpServers.defaulted(ftp), Optional.of(service), List.of())
            .orElseThrow();
    assertThat(address.address()).isEqualTo("10.96.0.42");
    assertThat(address.source()).isEqualTo(Source.CLUSTER_IP);
    assertThat(address.requirePublicAddress()).isFalse();
  }

  @Test
  void clusterIpModeWithPassiveAddressStillDoesNotRequireIt() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.ClusterIP);
    ftp.getSpec().setPassiveAddress("ftp.internal");
    PublicAddress address =
        PublicAddressResolver.resolve(FtpServers.defaulted(ftp), Optional.empty(), List.of())
            .orElseThrow();
    assertThat(address.address()).isEqualTo("ftp.internal");
    assertThat(address.requirePublicAddress()).isFalse();
  }
}
