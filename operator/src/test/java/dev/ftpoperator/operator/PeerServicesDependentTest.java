package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerServicesDependentTest {

  @Test
  void oneClusterIpServicePerPodWithOnlyTheRelayPortReachableBeforeThePodIsReady() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    List<Service> services =
        List.copyOf(PeerServicesDependent.desired(FtpServers.view(ftp)).values());
    assertThat(services)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("partners-0", "partners-1", "partners-2");
    for (int k = 0; k < 3; k++) {
      Service s = services.get(k);
      assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(s.getSpec().getSelector())
          .isEqualTo(Map.of("statefulset.kubernetes.io/pod-name", "partners-" + k));
      assertThat(s.getSpec().getPorts())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getPort()).isEqualTo(2122);
                assertThat(p.getTargetPort().getIntVal()).isEqualTo(2122);
                assertThat(p.getName()).isEqualTo("relay");
              });
      assertThat(s.getSpec().getPublishNotReadyAddresses()).isTrue();
      assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "peer");
      assertThat(s.getMetadata().getOwnerReferences()).hasSize(1);
    }
  }

  static Service peer(String name, String instance, String component, String ip) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(
            Map.of(
                "app.kubernetes.io/instance", instance, "app.kubernetes.io/component", component))
        .endMetadata()
        .withNewSpec()
        .withClusterIP(ip)
        .endSpec()
        .build();
  }

  @Test
  void relayAddressesAreTheClusterIpsOfThisServersPeerServicesBelowTheReplicaCount() {
    FtpServer ftp = FtpServers.partners();
    List<Service> services =
        List.of(
            peer("partners-0", "partners", "peer", "10.96.0.10"),
            peer("partners-2", "partners", "peer", "10.96.0.12"),
            peer("partners-1", "partners", "peer", ""),
            peer("partners-3", "partners", "peer", "10.96.0.13"),
            peer("partners", "partners", "service", "10.96.0.1"),
            peer("partners-x-0", "partners-x", "peer", "10.96.1.10"));
    assertThat(PeerServicesDependent.relayAddresses(ftp, services, 3))
        .isEqualTo(Map.of(0, "10.96.0.10", 2, "10.96.0.12"));
  }
}
