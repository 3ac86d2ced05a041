package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.SecretRef;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import dev.ftpoperator.api.v1alpha1.TlsSpec;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServerDeploymentDependentTest {

  static final PublicAddress LB =
      new PublicAddress("203.0.113.7", Source.LOAD_BALANCER_IP, 21, null, true);

  static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Map<String, String> env(Deployment d) {
    return container(d).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void injectsThePublicAddressIntoEnvAndPodTemplateAnnotation() {
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB));
    assertThat(env(d))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("FTP_PUBLIC_ADDRESS", "203.0.113.7", "FTP_REQUIRE_PUBLIC_ADDRESS", "true"));
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("ftp.operator.dev/public-address", "203.0.113.7")
        .containsKey("ftp.operator.dev/settings-hash");
    assertThat(container(d).getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("partners-settings"));
  }

  @Test
  void anAddressChangeChangesThePodTemplate() {
    FtpServer ftp = FtpServers.partners();
    Deployment before = ServerDeploymentDependent.desired(FtpServers.view(ftp, LB));
    Deployment same = ServerDeploymentDependent.desired(FtpServers.view(ftp, LB));
    Deployment after =
        ServerDeploymentDependent.desired(
            FtpServers.view(
                ftp, new PublicAddress("203.0.113.99", Source.LOAD_BALANCER_IP, 21, null, true)));
    assertThat(same).isEqualTo(before);
    assertThat(after.getSpec().getTemplate()).isNotEqualTo(before.getSpec().getTemplate());
  }

  @Test
  void clusterIpModeDoesNotRequireAPublicAddress() {
    Deployment d =
        ServerDeploymentDependent.desired(
            FtpServers.view(
                FtpServers.partners(),
                new PublicAddress("10.96.0.42", Source.CLUSTER_IP, 21, null, false)));
    assertThat(env(d)).containsEntry("FTP_REQUIRE_PUBLIC_ADDRESS", "false");
  }

  @Test
  void exposesControlHealthAndEveryPassivePortAsContainerPorts() {
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB));
    assertThat(container(d).getPorts())
        .extracting(ContainerPort::getContainerPort)
        .startsWith(2121, 8080, 30000)
        .endsWith(30019)
        .hasSize(22);
    assertThat(container(d).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(container(d).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(container(d).getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("http");
  }

  @Test
  void readinessIsProbedEverySecondSoANewPodTakesSessionsAsSoonAsItListens() {
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB));
    assertThat(container(d).getReadinessProbe().getPeriodSeconds()).isEqualTo(1);
    assertThat(container(d).getReadinessProbe().getFailureThreshold()).isEqualTo(3);
    assertThat(container(d).getLivenessProbe().getPeriodSeconds()).isEqualTo(10);
    assertThat(container(d).getLivenessProbe().getFailureThreshold()).isEqualTo(6);
  }

  @Test
  void mountsUsersReadOnlyAndDataFromTheClaimAndRunsAsUid1000WithRecreate() {
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB));
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Map<String, VolumeMount> mounts =
        container(d).getVolumeMounts().stream()
            .collect(Collectors.toMap(VolumeMount::getName, m -> m));
    assertThat(mounts.get("users").getMountPath()).isEqualTo("/etc/ftp/users");
    assertThat(mounts.get("users").getReadOnly()).isTrue();
    assertThat(mounts.get("data").getMountPath()).isEqualTo("/data");
    assertThat(mounts).doesNotContainKey("tls");
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("users").getSecret().getSecretName()).isEqualTo("partners-users");
    assertThat(volumes.get("data").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("partners-data");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Names.selector(FtpServers.partners()));
    assertThat(d.getMetadata().getOwnerReferences()).hasSize(1);
  }

  /** Kubernetes' "restricted" Pod Security Standard, plus a read-only root and no API token. */
  @Test
  void thePodMeetsTheRestrictedProfileWithAReadOnlyRootAndNoApiToken() {
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB));
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getHostNetwork()).isNull();
    var container = container(d).getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getPrivileged()).isNull();
    assertThat(container(d).getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
    assertThat(container(d).getResources().getLimits()).containsKey("memory");
    // the only writable places: the data volume and a bounded scratch directory
    assertThat(container(d).getVolumeMounts())
        .filteredOn(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .extracting(VolumeMount::getMountPath)
        .containsExactlyInAnyOrder("/data", "/tmp");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("tmp"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).isNotNull());
  }

  @Test
  void mountsTheTlsSecretWhenTlsIsOn() {
    FtpServer ftp = FtpServers.partners();
    TlsSpec tls = new TlsSpec();
    tls.setSecretRef(new SecretRef("partners-tls"));
    ftp.getSpec().setTls(tls);
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(ftp, LB));
    assertThat(container(d).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("tls");
              assertThat(m.getMountPath()).isEqualTo("/etc/ftp/tls");
            });
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(
            v ->
                assertThat(
                        v.getSecret() != null
                            && "partners-tls".equals(v.getSecret().getSecretName()))
                    .isTrue());
  }

  @Test
  void usesEmptyDirOrAnExistingClaimWhenAsked() {
    FtpServer ftp = FtpServers.partners();
    StorageSpec storage = new StorageSpec();
    storage.setEmptyDir(true);
    ftp.getSpec().setStorage(storage);
    assertThat(ServerDeploymentDependent.volumes(FtpServers.view(ftp)))
        .anySatisfy(
            v -> assertThat(v.getName().equals("data") && v.getEmptyDir() != null).isTrue());
    storage.setEmptyDir(false);
    storage.setExistingClaim("old-data");
    assertThat(ServerDeploymentDependent.volumes(FtpServers.view(ftp)))
        .anySatisfy(
            v ->
                assertThat(
                        v.getName().equals("data")
                            && "old-data".equals(v.getPersistentVolumeClaim().getClaimName()))
                    .isTrue());
  }

  @Test
  void anonymousOnlyServerGetsAnEmptyUsersDirectory() {
    FtpServer ftp = FtpServers.partners();
    ftp.getSpec().setUsers(null);
    ftp.getSpec().setAnonymous(true);
    assertThat(ServerDeploymentDependent.volumes(FtpServers.view(ftp)))
        .anySatisfy(
            v -> assertThat(v.getName().equals("users") && v.getEmptyDir() != null).isTrue());
  }

  @Test
  void imageAndResourcesComeFromTheSpecElseFromTheOperatorSettings() {
    FtpServer ftp = FtpServers.partners();
    Deployment d = ServerDeploymentDependent.desired(FtpServers.view(ftp, LB));
    assertThat(container(d).getImage())
        .isEqualTo("localhost/ftp-operator/ftp-server:0.1.0-SNAPSHOT");
    assertThat(container(d).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(container(d).getResources().getRequests())
        .containsEntry("memory", new Quantity("128Mi"));
    ftp.getSpec().setImage("registry.example/ftp:1.2");
    ftp.getSpec()
        .setResources(
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1Gi")).build());
    d = ServerDeploymentDependent.desired(FtpServers.view(ftp, LB));
    assertThat(container(d).getImage()).isEqualTo("registry.example/ftp:1.2");
    assertThat(container(d).getResources().getLimits())
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(container(d).getResources().getRequests()).isNullOrEmpty();
  }

  @Test
  void passesSchedulingAndPodAnnotationsThrough() {
    FtpServer ftp = FtpServers.partners();
    ftp.getSpec().setNodeSelector(Map.of("zone", "a"));
    ftp.getSpec().setPodAnnotations(Map.of("prometheus.io/scrape", "true"));
    ftp.getSpec()
        .setTolerations(
            java.util.List.of(
                new io.fabric8.kubernetes.api.model.TolerationBuilder()
                    .withKey("dedicated")
                    .withOperator("Exists")
                    .build()));
    PodSpec pod =
        ServerDeploymentDependent.desired(FtpServers.view(ftp, LB))
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("zone", "a");
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(
            ServerDeploymentDependent.desired(FtpServers.view(ftp, LB))
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry("prometheus.io/scrape", "true");
  }

  @Test
  void nodePortModeWithLocalPolicyPinsThePodToTheAdvertisedNode() {
    FtpServer ftp = FtpServers.withType(FtpServers.partners(), ServiceType.NodePort);
    PublicAddress node =
        new PublicAddress("10.0.0.2", Source.NODE_INTERNAL_IP, 31021, "node-b", true);
    PodSpec pod =
        ServerDeploymentDependent.desired(FtpServers.view(ftp, node))
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms())
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.getMatchFields())
                    .singleElement()
                    .satisfies(
                        f -> {
                          assertThat(f.getKey()).isEqualTo("metadata.name");
                          assertThat(f.getValues()).containsExactly("node-b");
                        }));
    assertThat(
            ServerDeploymentDependent.desired(FtpServers.view(FtpServers.partners(), LB))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity())
        .isNull();
  }
}
