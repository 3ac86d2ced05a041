package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerStatefulSetDependentTest {

  static final PublicAddress LB =
      new PublicAddress("203.0.113.7", Source.LOAD_BALANCER_IP, 21, null, true);

  static StatefulSet threeReplicas() {
    return ServerStatefulSetDependent.desired(
        FtpServers.replicatedView(FtpServers.replicated(FtpServers.partners(), 3), LB));
  }

  static Container container(StatefulSet s) {
    return s.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Map<String, String> env(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }

  @Test
  void runsTheReplicasInParallelRollingOneAtATimeUnderTheFtpServersName() {
    StatefulSet set = threeReplicas();
    assertThat(set.getMetadata().getName()).isEqualTo("partners");
    assertThat(set.getSpec().getReplicas()).isEqualTo(3);
    assertThat(set.getSpec().getServiceName()).isEqualTo("partners-peers");
    assertThat(set.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(set.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(set.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/name", "ftp-server", "app.kubernetes.io/instance", "partners"));
    assertThat(set.getSpec().getVolumeClaimTemplates()).isEmpty();
    assertThat(set.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void tellsEachPodItsNameTheReplicasTheRelayPeersPortAndSecret() {
    Container c = container(threeReplicas());
    assertThat(env(c))
        .containsEntry("FTP_PUBLIC_ADDRESS", "203.0.113.7")
        .containsEntry("FTP_CLUSTER_REPLICAS", "3")
        .containsEntry("FTP_CLUSTER_PEERS", "0=10.96.0.10,1=10.96.0.11,2=10.96.0.12")
        .containsEntry("FTP_CLUSTER_RELAY_PORT", "2122")
        .containsEntry("FTP_CLUSTER_SECRET_FILE", "/etc/ftp/cluster/secret");
    EnvVar podName =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("FTP_POD_NAME"))
            .findFirst()
            .orElseThrow();
    assertThat(podName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(c.getPorts())
        .filteredOn(p -> "relay".equals(p.getName()))
        .singleElement()
        .extracting(ContainerPort::getContainerPort)
        .isEqualTo(2122);
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/etc/ftp/cluster"))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume =
        threeReplicas().getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("partners-cluster");
  }

  @Test
  void aDeletedPodKeepsServingUntilTheLoadBalancerHasDroppedIt() {
    Container c = container(threeReplicas());
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    // the sleep and the drain both fit in the grace period
    assertThat(threeReplicas().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThanOrEqualTo(5L + ServerStatefulSetDependent.DRAIN_SECONDS);
  }

  @Test
  void sharesTheDataClaimDrainsLongerAndPrefersOnePodPerNode() {
    PodSpec pod = threeReplicas().getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("data"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("partners-data"));
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(120L);
    assertThat(env(pod.getContainers().get(0))).containsEntry("FTP_SHUTDOWN_GRACE_SECONDS", "110");
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .isNullOrEmpty();
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(t.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/instance", "partners");
            });
  }

  @Test
  void thePodTemplateIsTheDeploymentsPlusTheRelay() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    Deployment single =
        ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB));
    PodSpec replicated =
        ServerStatefulSetDependent.desired(FtpServers.replicatedView(ftp, LB))
            .getSpec()
            .getTemplate()
            .getSpec();
    Container one = single.getSpec().getTemplate().getSpec().getContainers().get(0);
    Container many = replicated.getContainers().get(0);
    assertThat(many.getImage()).isEqualTo(one.getImage());
    assertThat(many.getSecurityContext()).isEqualTo(one.getSecurityContext());
    assertThat(many.getPorts()).containsAll(one.getPorts()).hasSize(one.getPorts().size() + 1);
    assertThat(many.getEnv()).containsAll(one.getEnv());
  }

  @Test
  void isOnlyBuiltOnceEveryRelayAddressIsKnown() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    assertThatThrownBy(() -> ServerStatefulSetDependent.desired(FtpServers.view(ftp, LB)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("relay addresses");
  }

  @Test
  void aNewPeerAddressRollsThePods() {
    FtpServer ftp = FtpServers.replicated(FtpServers.partners(), 3);
    ResolvedFtpServer view = FtpServers.replicatedView(ftp, LB);
    java.util.TreeMap<Integer, String> moved = new java.util.TreeMap<>(view.peers());
    moved.put(1, "10.96.9.9");
    ResolvedFtpServer after =
        new ResolvedFtpServer(view.ftp(), view.spec(), view.settings(), view.address(), moved);
    assertThat(ServerStatefulSetDependent.desired(after).getSpec().getTemplate())
        .isNotEqualTo(ServerStatefulSetDependent.desired(view).getSpec().getTemplate());
    assertThat(ServerStatefulSetDependent.desired(FtpServers.replicatedView(ftp, LB)))
        .isEqualTo(ServerStatefulSetDependent.desired(view));
  }
}
