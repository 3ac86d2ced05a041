package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.api.v1alpha1.AccessMode;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ReplicaStatus;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * FtpServers with replicas > 1 against a real kube-apiserver: the StatefulSet, per-pod Services,
 * relay Secret and PodDisruptionBudget, the scale subresource, the way back to one replica, the
 * existing-claim check and no writes in a steady state. The test plays the load balancer, the
 * StatefulSet controller (status) and the kubelet (pods and their readiness).
 */
class ReplicatedFtpServerIT {

  static KubernetesClient client;
  String namespace;

  @BeforeAll
  static void operator() {
    client = TestCluster.client();
    TestCluster.startOperator();
  }

  @BeforeEach
  void namespace() {
    namespace = TestCluster.newNamespace("replicas");
  }

  @RegisterExtension
  final TestWatcher dumpOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          System.out.println(NamespaceDump.of(client, namespace));
        }
      };

  static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions();
  }

  FtpServer ftpServer(String name, int replicas) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName(name);
    ftp.getMetadata().setNamespace(namespace);
    FtpServerSpec spec = new FtpServerSpec();
    // nothing answers at the test addresses, and tests send traffic only to loopback
    spec.setSelfTest(new SelfTestSpec(false, 60));
    spec.setUsers(new UsersSpec(name + "-users"));
    spec.setPassivePorts(new PassivePorts(30000, 30019));
    spec.setReplicas(replicas);
    StorageSpec storage = new StorageSpec();
    storage.setAccessMode(AccessMode.ReadWriteMany);
    spec.setStorage(storage);
    ftp.setSpec(spec);
    return ftp;
  }

  void usersSecret(String name) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("alice", "wonderland"))
                .build())
        .create();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  FtpServer ftp(String name) {
    return get(FtpServer.class, name);
  }

  Optional<Condition> condition(String name, String type) {
    FtpServer ftp = ftp(name);
    return ftp == null ? Optional.empty() : StatusComputer.condition(ftp.getStatus(), type);
  }

  void assignLoadBalancerAddress(String service, String ip) {
    client
        .services()
        .inNamespace(namespace)
        .withName(service)
        .editStatus(
            s -> {
              s.getStatus()
                  .getLoadBalancer()
                  .setIngress(List.of(new LoadBalancerIngressBuilder().withIp(ip).build()));
              return s;
            });
  }

  /** Plays the StatefulSet controller and the kubelet: N pods, all Ready. */
  void runPods(String name, int replicas) {
    TestCluster.markStatefulSetAvailable(client, namespace, name, replicas);
    if (get(io.fabric8.kubernetes.api.model.ServiceAccount.class, "default") == null) {
      client
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .withNamespace(namespace)
                  .endMetadata()
                  .build())
          .create();
    }
    for (int k = 0; k < replicas; k++) {
      String pod = name + "-" + k;
      Map<String, String> labels = new LinkedHashMap<>(Names.labels(ftp(name), "server"));
      labels.put(Names.LABEL_POD_NAME, pod);
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(pod)
                  .withNamespace(namespace)
                  .withLabels(labels)
                  .endMetadata()
                  .withNewSpec()
                  .withAutomountServiceAccountToken(false)
                  .addNewContainer()
                  .withName("ftp-server")
                  .withImage("ftp-server:test")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      client
          .pods()
          .inNamespace(namespace)
          .withName(pod)
          .editStatus(
              p -> {
                p.setStatus(
                    new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .build());
                return p;
              });
    }
  }

  static Map<String, String> env(StatefulSet s) {
    return s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  String peersOf(String name, int replicas) {
    StringBuilder peers = new StringBuilder();
    for (int k = 0; k < replicas; k++) {
      Service s = get(Service.class, name + "-" + k);
      assertThat(s).as("per-pod Service " + k).isNotNull();
      peers.append(k == 0 ? "" : ",").append(k).append('=').append(s.getSpec().getClusterIP());
    }
    return peers.toString();
  }

  /** A replicated FtpServer with its load-balancer address and all pods Ready. */
  void readyReplicated(String name, int replicas, String ip) {
    usersSecret(name + "-users");
    client.resource(ftpServer(name, replicas)).create();
    eventually().until(() -> get(Service.class, name) != null);
    assignLoadBalancerAddress(name, ip);
    eventually().until(() -> get(StatefulSet.class, name) != null);
    runPods(name, replicas);
    eventually()
        .until(() -> condition(name, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
  }

  @Test
  void threeReplicasAreAStatefulSetWithPerPodServicesARelaySecretAndABudget() {
    usersSecret("trio-users");
    client.resource(ftpServer("trio", 3)).create();
    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(Service.class, "trio")).isNotNull();
              assertThat(get(Secret.class, "trio-cluster")).isNotNull();
              assertThat(get(PodDisruptionBudget.class, "trio")).isNotNull();
              for (int k = 0; k < 3; k++) {
                assertThat(get(Service.class, "trio-" + k).getSpec().getClusterIP()).isNotBlank();
              }
            });
    // no load-balancer address yet: no server pods, of either kind
    assertThat(get(StatefulSet.class, "trio")).isNull();
    assignLoadBalancerAddress("trio", "203.0.113.60");

    eventually()
        .untilAsserted(
            () -> {
              StatefulSet set = get(StatefulSet.class, "trio");
              assertThat(set).isNotNull();
              assertThat(set.getSpec().getReplicas()).isEqualTo(3);
              assertThat(env(set))
                  .containsEntry("FTP_PUBLIC_ADDRESS", "203.0.113.60")
                  .containsEntry("FTP_CLUSTER_REPLICAS", "3")
                  .containsEntry("FTP_CLUSTER_PEERS", peersOf("trio", 3))
                  .containsEntry("FTP_CLUSTER_RELAY_PORT", "2122");
            });
    assertThat(get(Deployment.class, "trio")).isNull();
    assertThat(get(PersistentVolumeClaim.class, "trio-data").getSpec().getAccessModes())
        .containsExactly("ReadWriteMany");
    assertThat(get(PodDisruptionBudget.class, "trio").getSpec().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    Secret secret = get(Secret.class, "trio-cluster");
    assertThat(java.util.Base64.getDecoder().decode(secret.getData().get("secret"))).hasSize(48);
    // the load balancer carries 21 and every passive port, never the relay port
    Service lb = get(Service.class, "trio");
    assertThat(lb.getSpec().getPorts()).extracting(ServicePort::getPort).doesNotContain(2122);
    assertThat(lb.getSpec().getPorts()).hasSize(21);
    assertThat(lb.getSpec().getSelector())
        .isEqualTo(
            Map.of("app.kubernetes.io/name", "ftp-server", "app.kubernetes.io/instance", "trio"));

    runPods("trio", 3);
    eventually()
        .untilAsserted(
            () -> {
              FtpServer ftp = ftp("trio");
              assertThat(ftp.getStatus().getReplicas()).isEqualTo(3);
              assertThat(ftp.getStatus().getReadyReplicas()).isEqualTo(3);
              assertThat(ftp.getStatus().getSelector())
                  .isEqualTo("app.kubernetes.io/name=ftp-server,app.kubernetes.io/instance=trio");
              assertThat(ftp.getStatus().getPods())
                  .extracting(
                      ReplicaStatus::getName,
                      ReplicaStatus::getPassivePorts,
                      ReplicaStatus::getReady)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("trio-0", "30000-30005", true),
                      org.assertj.core.groups.Tuple.tuple("trio-1", "30006-30012", true),
                      org.assertj.core.groups.Tuple.tuple("trio-2", "30013-30019", true));
              assertThat(condition("trio", "Ready").orElseThrow().getStatus()).isEqualTo("True");
            });
  }

  @Test
  void theRelaySecretIsNeverRewrittenByReconcilesSpecChangesOrAnOperatorRestart() {
    readyReplicated("keeper", 3, "203.0.113.61");
    Secret before = get(Secret.class, "keeper-cluster");
    long reconciles = TestCluster.RECONCILES.finished(namespace, "keeper");

    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName("keeper")
        .edit(
            f -> {
              f.getSpec().getPassivePorts().setMax(30029);
              return f;
            });
    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(ConfigMap.class, "keeper-settings").getData())
                  .containsEntry("FTP_PASSIVE_PORTS", "30000-30029");
              // 2121, 8080, 30 passive ports and the relay port: the pods rolled
              assertThat(
                      get(StatefulSet.class, "keeper")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getPorts())
                  .hasSize(33);
            });
    TestCluster.restartOperator();
    // the restarted operator has reconciled it (it reconciles every FtpServer once on start)
    eventually().until(() -> TestCluster.RECONCILES.finished(namespace, "keeper") > reconciles + 1);
    eventually().until(() -> !TestCluster.RECONCILES.running(namespace, "keeper"));

    Secret after = get(Secret.class, "keeper-cluster");
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getData()).isEqualTo(before.getData());
  }

  @Test
  void scalingThroughTheScaleSubresourceSwapsTheWorkloadsAndBackToOneRemovesTheRelayObjects() {
    usersSecret("elastic-users");
    client.resource(ftpServer("elastic", 1)).create();
    eventually().until(() -> get(Service.class, "elastic") != null);
    assignLoadBalancerAddress("elastic", "203.0.113.62");
    eventually().until(() -> get(Deployment.class, "elastic") != null);
    assertThat(get(Secret.class, "elastic-cluster")).isNull();

    // kubectl scale ftpserver/elastic --replicas=3
    client.resources(FtpServer.class).inNamespace(namespace).withName("elastic").scale(3);
    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(Deployment.class, "elastic")).isNull();
              StatefulSet set = get(StatefulSet.class, "elastic");
              assertThat(set.getSpec().getReplicas()).isEqualTo(3);
              assertThat(env(set)).containsEntry("FTP_CLUSTER_PEERS", peersOf("elastic", 3));
              assertThat(get(Secret.class, "elastic-cluster")).isNotNull();
              assertThat(get(PodDisruptionBudget.class, "elastic")).isNotNull();
            });

    client.resources(FtpServer.class).inNamespace(namespace).withName("elastic").scale(2);
    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(Service.class, "elastic-2")).isNull();
              StatefulSet set = get(StatefulSet.class, "elastic");
              assertThat(set.getSpec().getReplicas()).isEqualTo(2);
              assertThat(env(set))
                  .containsEntry("FTP_CLUSTER_REPLICAS", "2")
                  .containsEntry("FTP_CLUSTER_PEERS", peersOf("elastic", 2));
            });

    client.resources(FtpServer.class).inNamespace(namespace).withName("elastic").scale(1);
    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(StatefulSet.class, "elastic")).isNull();
              assertThat(get(Service.class, "elastic-0")).isNull();
              assertThat(get(Service.class, "elastic-1")).isNull();
              assertThat(get(Secret.class, "elastic-cluster")).isNull();
              assertThat(get(PodDisruptionBudget.class, "elastic")).isNull();
              Deployment d = get(Deployment.class, "elastic");
              assertThat(d).isNotNull();
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                  .extracting(EnvVar::getName)
                  .containsExactlyInAnyOrder("FTP_PUBLIC_ADDRESS", "FTP_REQUIRE_PUBLIC_ADDRESS");
              assertThat(ftp("elastic").getStatus().getPods()).isNull();
            });
    assertThat(get(Service.class, "elastic").getSpec().getPorts()).hasSize(21);
  }

  @Test
  void anExistingReadWriteOnceClaimForThreeReplicasIsAConditionNotACrash() {
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("single-node")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .create();
    usersSecret("rwo-users");
    FtpServer spec = ftpServer("rwo", 3);
    spec.getSpec().getStorage().setAccessMode(null);
    spec.getSpec().getStorage().setExistingClaim("single-node");
    spec.getSpec().setPassiveAddress("ftp.example.com");
    client.resource(spec).create();
    eventually()
        .untilAsserted(
            () -> {
              Condition ready = condition("rwo", "Ready").orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("StorageNotShared");
              assertThat(ready.getMessage()).contains("single-node", "ReadWriteMany");
              assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                  .anySatisfy(
                      e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getReason()).isEqualTo("StorageNotShared");
                      });
            });
    assertThat(get(PersistentVolumeClaim.class, "rwo-data")).isNull();
  }

  @Test
  void aReplicatedReconcileThatFindsNothingChangedWritesNothing() {
    readyReplicated("calm", 3, "203.0.113.63");
    eventually().until(() -> !TestCluster.RECONCILES.running(namespace, "calm"));
    Map<String, String> before = resourceVersions("calm");
    int eventsBefore = client.v1().events().inNamespace(namespace).list().getItems().size();
    long reconcilesBefore = TestCluster.RECONCILES.finished(namespace, "calm");
    client
        .configMaps()
        .inNamespace(namespace)
        .withName("calm-settings")
        .edit(
            cm -> {
              cm.getMetadata().setAnnotations(Map.of("touched-by", "test"));
              return cm;
            });
    before.put(
        "ConfigMap", get(ConfigMap.class, "calm-settings").getMetadata().getResourceVersion());

    eventually()
        .alias("the touch caused a reconcile")
        .until(() -> TestCluster.RECONCILES.finished(namespace, "calm") > reconcilesBefore);
    eventually().until(() -> !TestCluster.RECONCILES.running(namespace, "calm"));
    assertThat(resourceVersions("calm")).isEqualTo(before);
    assertThat(client.v1().events().inNamespace(namespace).list().getItems()).hasSize(eventsBefore);
  }

  Map<String, String> resourceVersions(String name) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("FtpServer", ftp(name).getMetadata().getResourceVersion());
    versions.put(
        "ConfigMap", get(ConfigMap.class, name + "-settings").getMetadata().getResourceVersion());
    versions.put(
        "PVC", get(PersistentVolumeClaim.class, name + "-data").getMetadata().getResourceVersion());
    versions.put("Service", get(Service.class, name).getMetadata().getResourceVersion());
    for (int k = 0; k < 3; k++) {
      versions.put(
          "Service-" + k, get(Service.class, name + "-" + k).getMetadata().getResourceVersion());
    }
    versions.put("StatefulSet", get(StatefulSet.class, name).getMetadata().getResourceVersion());
    versions.put("Secret", get(Secret.class, name + "-cluster").getMetadata().getResourceVersion());
    versions.put("PDB", get(PodDisruptionBudget.class, name).getMetadata().getResourceVersion());
    return versions;
  }
}
