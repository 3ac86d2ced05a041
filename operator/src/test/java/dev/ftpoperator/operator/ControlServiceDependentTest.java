package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlServiceDependentTest {

  @Test
  void mapsPort21ToTheControlPortAndEveryPassivePortOneToOne() {
    Service service = ControlServiceDependent.desired(FtpServers.view(FtpServers.partners()));
    List<ServicePort> ports = service.getSpec().getPorts();
    assertThat(ports).hasSize(21);
    assertThat(ports.get(0).getName()).isEqualTo("ftp");
    assertThat(ports.get(0).getPort()).isEqualTo(21);
    assertThat(ports.get(0).getTargetPort().getIntVal()).isEqualTo(2121);
    for (int i = 1; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      assertThat(p.getPort()).isEqualTo(29999 + i);
      assertThat(p.getTargetPort().getIntVal()).isEqualTo(p.getPort());
      assertThat(p.getName()).isEqualTo("pasv-" + p.getPort());
      assertThat(p.getProtocol()).isEqualTo("TCP");
      assertThat(p.getNodePort()).isNull();
    }
  }

  @Test
  void defaultsToLoadBalancerWithLocalTrafficPolicy() {
    Service service = ControlServiceDependent.desired(FtpServers.view(FtpServers.partners()));
    assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(service.getSpec().getSelector())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name", "ftp-server", "app.kubernetes.io/instance", "partners"));
    assertThat(service.getMetadata().getName()).isEqualTo("partners");
    assertThat(service.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "service");
    assertThat(service.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void passesLoadBalancerSettingsThrough() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.LoadBalancer);
    ftp.getSpec()
        .getService()
        .setAnnotations(Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"));
    ftp.getSpec().getService().setLoadBalancerClass("metallb");
    ftp.getSpec().getService().setLoadBalancerSourceRanges(List.of("198.51.100.0/24"));
    ftp.getSpec().getService().setExternalTrafficPolicy(TrafficPolicy.Cluster);
    Service service = ControlServiceDependent.desired(FtpServers.view(ftp));
    assertThat(service.getMetadata().getAnnotations())
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
    assertThat(service.getSpec().getLoadBalancerClass()).isEqualTo("metallb");
    assertThat(service.getSpec().getLoadBalancerSourceRanges()).containsExactly("198.51.100.0/24");
    assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
  }

  @Test
  void theHealthAndMetricsPortIsNeverOnTheService() {
    for (ServiceType type : ServiceType.values()) {
      Service service =
          ControlServiceDependent.desired(
              FtpServers.view(FtpServers.withType(FtpServers.partners(), type)));
      assertThat(service.getSpec().getPorts())
          .as(type.name())
          .extracting(p -> p.getTargetPort().getIntVal())
          .doesNotContain(dev.ftpoperator.api.v1alpha1.PassivePorts.HTTP_PORT);
      assertThat(service.getSpec().getPorts())
          .extracting(ServicePort::getPort)
          .doesNotContain(dev.ftpoperator.api.v1alpha1.PassivePorts.HTTP_PORT);
    }
  }

  @Test
  void nodePortModeMakesEveryPassivePortItsOwnNodePort() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.NodePort);
    Service service = ControlServiceDependent.desired(FtpServers.view(ftp));
    assertThat(service.getSpec().getType()).isEqualTo("NodePort");
    assertThat(service.getSpec().getPorts().get(0).getNodePort()).isNull();
    service.getSpec().getPorts().stream()
        .skip(1)
        .forEach(p -> assertThat(p.getNodePort()).isEqualTo(p.getPort()));
    assertThat(service.getSpec().getLoadBalancerClass()).isNull();
  }

  @Test
  void clusterIpModeHasNoExternalTrafficPolicy() {
    Service service =
        ControlServiceDependent.desired(
            FtpServers.view(FtpServers.withType(FtpServers.partners(), ServiceType.ClusterIP)));
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getExternalTrafficPolicy()).isNull();
  }

  @Test
  void implicitTlsServesPort990InsteadOf21() {
    FtpServer ftp = FtpServers.partners();
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("cert"));
    tls.setMode(TlsMode.Implicit);
    ftp.getSpec().setTls(tls);
    ServicePort control =
        ControlServiceDependent.desired(FtpServers.view(ftp)).getSpec().getPorts().get(0);
    assertThat(control.getName()).isEqualTo("ftps");
    assertThat(control.getPort()).isEqualTo(990);
    assertThat(control.getTargetPort().getIntVal()).isEqualTo(2121);
  }
}
