package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.NetworkPolicySpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyDependentTest {

  private static FtpServer withPolicy(NetworkPolicySpec policy) {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.LoadBalancer);
    ftp.getSpec().setNetworkPolicy(policy);
    return ftp;
  }

  private static List<String> ports(NetworkPolicyIngressRule rule) {
    return rule.getPorts().stream()
        .map(
            (NetworkPolicyPort p) ->
                p.getProtocol()
                    + " "
                    + p.getPort().getIntVal()
                    + (p.getEndPort() == null ? "" : "-" + p.getEndPort()))
        .toList();
  }

  @Test
  void admitsControlAndPassivePortsFromTheLoadBalancerSourceRangesOnly() {
    FtpServer ftp = withPolicy(new NetworkPolicySpec(true, null));
    ftp.getSpec()
        .getService()
        .setLoadBalancerSourceRanges(List.of("198.51.100.0/24", "203.0.113.7/32"));
    NetworkPolicy policy = NetworkPolicyDependent.desired(FtpServers.view(ftp));
    assertThat(policy.getMetadata().getName()).isEqualTo("partners");
    assertThat(policy.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Names.selector(ftp));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    NetworkPolicyIngressRule clients = policy.getSpec().getIngress().get(0);
    assertThat(clients.getFrom())
        .extracting((NetworkPolicyPeer peer) -> peer.getIpBlock().getCidr())
        .containsExactly("198.51.100.0/24", "203.0.113.7/32");
    assertThat(ports(clients)).containsExactly("TCP 2121", "TCP 30000-30019");
  }

  @Test
  void withoutSourceRangesFtpIsOpenToEveryoneButTheMetricsPortToNoOne() {
    NetworkPolicy policy =
        NetworkPolicyDependent.desired(
            FtpServers.view(withPolicy(new NetworkPolicySpec(true, null))));
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    NetworkPolicyIngressRule clients = policy.getSpec().getIngress().get(0);
    assertThat(clients.getFrom()).isNullOrEmpty();
    assertThat(ports(clients)).doesNotContain("TCP 8080");
  }

  @Test
  void theMetricsPortIsAdmittedFromTheSelectedNamespaces() {
    var monitoring =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("kubernetes.io/metadata.name", "monitoring"))
            .build();
    NetworkPolicy policy =
        NetworkPolicyDependent.desired(
            FtpServers.view(withPolicy(new NetworkPolicySpec(true, monitoring))));
    assertThat(policy.getSpec().getIngress()).hasSize(2);
    NetworkPolicyIngressRule metrics = policy.getSpec().getIngress().get(1);
    assertThat(metrics.getFrom()).hasSize(1);
    assertThat(metrics.getFrom().get(0).getNamespaceSelector()).isEqualTo(monitoring);
    assertThat(metrics.getFrom().get(0).getPodSelector()).isNull();
    assertThat(ports(metrics)).containsExactly("TCP 8080");
  }

  @Test
  void aSinglePassivePortHasNoEndPort() {
    FtpServer ftp = withPolicy(new NetworkPolicySpec(true, null));
    ftp.getSpec().setPassivePorts(new dev.ftpoperator.api.v1alpha1.PassivePorts(30005, 30005));
    NetworkPolicy policy = NetworkPolicyDependent.desired(FtpServers.view(ftp));
    assertThat(ports(policy.getSpec().getIngress().get(0)))
        .containsExactly("TCP 2121", "TCP 30005");
  }

  @Test
  void onlyAnEnabledPolicyIsWanted() {
    assertThat(FtpServers.view(FtpServers.partners()).networkPolicy()).isEmpty();
    assertThat(FtpServers.view(withPolicy(new NetworkPolicySpec(false, null))).networkPolicy())
        .isEmpty();
    assertThat(FtpServers.view(withPolicy(new NetworkPolicySpec())).networkPolicy()).isEmpty();
    assertThat(FtpServers.view(withPolicy(new NetworkPolicySpec(true, null))).networkPolicy())
        .isPresent();
  }

  @Test
  void aReplicatedServerAdmitsTheRelayPortFromItsOwnPodsOnlyAndLeavesTheRestOpen() {
    FtpServer ftp =
        FtpServers.replicated(
            FtpServers.withType(FtpServers.partners(), ServiceType.LoadBalancer), 3);
    ftp.getSpec().getService().setLoadBalancerSourceRanges(List.of("198.51.100.0/24"));
    NetworkPolicy policy = NetworkPolicyDependent.desired(FtpServers.view(ftp));
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    assertThat(rules).hasSize(3);
    // spec.networkPolicy not asked for: clients and metrics as open as without a policy
    assertThat(rules.get(0).getFrom()).isNullOrEmpty();
    assertThat(ports(rules.get(0))).containsExactly("TCP 2121", "TCP 30000-30019");
    assertThat(rules.get(1).getFrom()).isNullOrEmpty();
    assertThat(ports(rules.get(1))).containsExactly("TCP 8080");
    NetworkPolicyIngressRule relay = rules.get(2);
    assertThat(ports(relay)).containsExactly("TCP 2122");
    assertThat(relay.getFrom())
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(Names.selector(ftp));
              assertThat(peer.getNamespaceSelector()).isNull();
              assertThat(peer.getIpBlock()).isNull();
            });
  }

  @Test
  void aReplicatedServerThatAsksForAPolicyKeepsItsRulesAndAddsTheRelay() {
    FtpServer ftp = FtpServers.replicated(withPolicy(new NetworkPolicySpec(true, null)), 2);
    ftp.getSpec().getService().setLoadBalancerSourceRanges(List.of("198.51.100.0/24"));
    List<NetworkPolicyIngressRule> rules =
        NetworkPolicyDependent.desired(FtpServers.view(ftp)).getSpec().getIngress();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getFrom())
        .extracting((NetworkPolicyPeer peer) -> peer.getIpBlock().getCidr())
        .containsExactly("198.51.100.0/24");
    assertThat(ports(rules.get(1))).containsExactly("TCP 2122");
  }
}
