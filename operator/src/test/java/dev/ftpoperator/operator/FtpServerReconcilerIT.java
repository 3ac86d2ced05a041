package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.NetworkPolicySpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.SelfTestSpec;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
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
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The operator (plain java-operator-sdk, same reconciler and dependents as in the Quarkus app)
 * against a real kube-apiserver + etcd. The test plays the cloud controller: it writes the
 * Service's status.loadBalancer.ingress, and the Deployment controller: it writes Deployment
 * status.
 */
class FtpServerReconcilerIT {

  static KubernetesClient client;
  String namespace;

  @BeforeAll
  static void operator() {
    client = TestCluster.client();
    TestCluster.startOperator();
  }

  @BeforeEach
  void namespace(TestInfo test) {
    namespace = TestCluster.newNamespace("rec");
  }

  /** On a failure: what the namespace holds, the FtpServers' status and the Events. */
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

  FtpServer ftpServer(String name, ServiceType type) {
    FtpServer ftp = new FtpServer();
    ftp.getMetadata().setName(name);
    ftp.getMetadata().setNamespace(namespace);
    FtpServerSpec spec = new FtpServerSpec();
    spec.setUsers(new UsersSpec(name + "-users"));
    // NodePort: inside 30000-30085, the band Kubernetes keeps for fixed node ports (the other
    // tests'
    // Services get theirs from the upper band), so no other Service holds them
    spec.setPassivePorts(
        type == ServiceType.NodePort
            ? new PassivePorts(30050, 30054)
            : new PassivePorts(30000, 30019));
    ServiceSpec service = new ServiceSpec();
    service.setType(type);
    spec.setService(service);
    // no FTP server answers at these documentation addresses: SelfTestIT covers the self-test
    spec.setSelfTest(new SelfTestSpec(false, 60));
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

  FtpServer create(FtpServer ftp) {
    return client.resource(ftp).create();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  FtpServer ftp(String name) {
    return get(FtpServer.class, name);
  }

  Optional<Condition> condition(String name, String type) {
    FtpServer ftp = ftp(name);
    if (ftp == null || ftp.getStatus() == null) {
      return Optional.empty();
    }
    return StatusComputer.condition(ftp.getStatus(), type);
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

  void markDeploymentAvailable(String name) {
    TestCluster.markDeploymentAvailable(client, namespace, name);
  }

  static Map<String, String> env(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /** Creates an FtpServer and plays the load balancer until it is Ready. */
  FtpServer readyServer(String name, String ip) {
    usersSecret(name + "-users");
    create(ftpServer(name, ServiceType.LoadBalancer));
    eventually().until(() -> get(Service.class, name) != null);
    assignLoadBalancerAddress(name, ip);
    eventually().until(() -> get(Deployment.class, name) != null);
    markDeploymentAvailable(name);
    eventually()
        .until(() -> condition(name, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    return ftp(name);
  }

  @Test
  void serviceComesFirstAndTheDeploymentOnlyOnceTheLoadBalancerHasAnAddress() {
    usersSecret("partners-users");
    create(ftpServer("partners", ServiceType.LoadBalancer));

    eventually()
        .untilAsserted(
            () -> {
              Service service = get(Service.class, "partners");
              assertThat(service).isNotNull();
              assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
              assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
              assertThat(service.getSpec().getPorts()).hasSize(21);
              assertThat(service.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getKind()).isEqualTo("FtpServer"));
              assertThat(get(ConfigMap.class, "partners-settings")).isNotNull();
              assertThat(get(PersistentVolumeClaim.class, "partners-data")).isNotNull();
              assertThat(condition("partners", "AddressAssigned"))
                  .get()
                  .satisfies(c -> assertThat(c.getReason()).isEqualTo("WaitingForLoadBalancer"));
            });
    // no load balancer address yet: no Deployment, for a while
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> get(Deployment.class, "partners") == null);
    assertThat(ftp("partners").getStatus().getEndpoint()).isNull();

    assignLoadBalancerAddress("partners", "203.0.113.7");

    eventually()
        .untilAsserted(
            () -> {
              Deployment d = get(Deployment.class, "partners");
              assertThat(d).isNotNull();
              assertThat(env(d))
                  .containsEntry("FTP_PUBLIC_ADDRESS", "203.0.113.7")
                  .containsEntry("FTP_REQUIRE_PUBLIC_ADDRESS", "true");
              assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                  .containsEntry(Names.PUBLIC_ADDRESS_ANNOTATION, "203.0.113.7");
              assertThat(d.getMetadata().getOwnerReferences()).hasSize(1);
            });
    eventually()
        .untilAsserted(
            () -> {
              FtpServer ftp = ftp("partners");
              assertThat(ftp.getStatus().getEndpoint()).isEqualTo("ftp://203.0.113.7:21");
              assertThat(ftp.getStatus().getPublicAddress()).isEqualTo("203.0.113.7");
              assertThat(ftp.getStatus().getPassivePorts()).isEqualTo("30000-30019");
              assertThat(condition("partners", "AddressAssigned"))
                  .get()
                  .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
              assertThat(condition("partners", "Available"))
                  .get()
                  .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
            });
  }

  @Test
  void aNetworkPolicyIsMadeOnlyWhenAskedForFollowsTheSourceRangesAndGoesWhenTurnedOff() {
    usersSecret("guarded-users");
    FtpServer guarded = ftpServer("guarded", ServiceType.LoadBalancer);
    guarded.getSpec().getService().setLoadBalancerSourceRanges(List.of("198.51.100.0/24"));
    LabelSelector monitoring =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("kubernetes.io/metadata.name", "monitoring"))
            .build();
    guarded.getSpec().setNetworkPolicy(new NetworkPolicySpec(true, monitoring));
    create(guarded);
    usersSecret("open-users");
    create(ftpServer("open", ServiceType.LoadBalancer));

    eventually()
        .untilAsserted(
            () -> {
              NetworkPolicy policy = get(NetworkPolicy.class, "guarded");
              assertThat(policy).isNotNull();
              assertThat(policy.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getKind()).isEqualTo("FtpServer"));
              assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                  .isEqualTo(Names.selector(guarded));
              List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
              assertThat(rules).hasSize(2);
              assertThat(rules.get(0).getFrom())
                  .extracting(peer -> peer.getIpBlock().getCidr())
                  .containsExactly("198.51.100.0/24");
              assertThat(rules.get(0).getPorts())
                  .extracting(port -> port.getPort().getIntVal() + "-" + port.getEndPort())
                  .containsExactly("2121-null", "30000-30019");
              assertThat(rules.get(1).getFrom().get(0).getNamespaceSelector())
                  .isEqualTo(monitoring);
              assertThat(rules.get(1).getPorts())
                  .extracting(port -> port.getPort().getIntVal())
                  .containsExactly(8080);
            });
    eventually().until(() -> get(Service.class, "open") != null);
    assertThat(get(NetworkPolicy.class, "open")).isNull();

    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName("guarded")
        .edit(
            f -> {
              f.getSpec().getService().setLoadBalancerSourceRanges(List.of("203.0.113.0/24"));
              return f;
            });
    eventually()
        .untilAsserted(
            () ->
                assertThat(
                        get(NetworkPolicy.class, "guarded").getSpec().getIngress().get(0).getFrom())
                    .extracting(peer -> peer.getIpBlock().getCidr())
                    .containsExactly("203.0.113.0/24"));

    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName("guarded")
        .edit(
            f -> {
              f.getSpec().setNetworkPolicy(new NetworkPolicySpec(false, null));
              return f;
            });
    eventually().until(() -> get(NetworkPolicy.class, "guarded") == null);
  }

  @Test
  void metricsFromWithoutAnEnabledNetworkPolicyIsRefusedAtAdmission() {
    FtpServer ftp = ftpServer("half", ServiceType.LoadBalancer);
    ftp.getSpec()
        .setNetworkPolicy(
            new NetworkPolicySpec(
                false, new LabelSelectorBuilder().withMatchLabels(Map.of("a", "b")).build()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> create(ftp))
        .hasMessageContaining("networkPolicy.metricsFrom needs networkPolicy.enabled");
  }

  @Test
  void readyWithConditionsAndReadyReplicasOnceThePodIsAvailable() {
    FtpServer ftp = readyServer("ready", "203.0.113.10");
    assertThat(ftp.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(ftp.getStatus().getObservedGeneration())
        .isEqualTo(ftp.getMetadata().getGeneration());
    assertThat(ftp.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly("AddressAssigned", "Available", "TransferVerified", "Ready");
    assertThat(ftp.getStatus().getConditions())
        .filteredOn(c -> !c.getType().equals("TransferVerified"))
        .extracting(Condition::getStatus)
        .containsOnly("True");
    assertThat(condition("ready", "TransferVerified").orElseThrow().getReason())
        .isEqualTo("SelfTestDisabled");
    assertThat(condition("ready", "Ready").orElseThrow().getMessage())
        .contains("ftp://203.0.113.10:21");
    List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();
    assertThat(events)
        .extracting(Event::getReason)
        .contains("Ready", "AddressAssigned", "Available", "WaitingForLoadBalancer");
    assertThat(events)
        .filteredOn(e -> "AddressAssigned".equals(e.getReason()))
        .as("one Event per transition")
        .hasSize(1);
  }

  @Test
  void aLoadBalancerAddressChangeRollsThePodTemplate() {
    readyServer("moving", "203.0.113.20");
    Deployment before = get(Deployment.class, "moving");

    assignLoadBalancerAddress("moving", "203.0.113.21");

    eventually()
        .untilAsserted(
            () -> {
              Deployment after = get(Deployment.class, "moving");
              assertThat(env(after)).containsEntry("FTP_PUBLIC_ADDRESS", "203.0.113.21");
              assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                  .containsEntry(Names.PUBLIC_ADDRESS_ANNOTATION, "203.0.113.21");
              assertThat(after.getMetadata().getGeneration())
                  .isGreaterThan(before.getMetadata().getGeneration());
              assertThat(ftp("moving").getStatus().getEndpoint())
                  .isEqualTo("ftp://203.0.113.21:21");
            });
  }

  @Test
  void deletedOwnedObjectsAreRecreated() {
    readyServer("phoenix", "203.0.113.30");
    Map<String, String> uids = new LinkedHashMap<>();
    List<HasMetadata> owned =
        List.of(
            get(ConfigMap.class, "phoenix-settings"),
            get(Service.class, "phoenix"),
            get(Deployment.class, "phoenix"));
    for (HasMetadata o : owned) {
      uids.put(o.getKind(), o.getMetadata().getUid());
      client.resource(o).withGracePeriod(0).delete();
    }
    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(ConfigMap.class, "phoenix-settings"))
                  .isNotNull()
                  .satisfies(
                      c ->
                          assertThat(c.getMetadata().getUid()).isNotEqualTo(uids.get("ConfigMap")));
              assertThat(get(Service.class, "phoenix"))
                  .isNotNull()
                  .satisfies(
                      s -> assertThat(s.getMetadata().getUid()).isNotEqualTo(uids.get("Service")));
            });
    // the new Service has no load-balancer address yet: the cloud controller assigns it again
    assignLoadBalancerAddress("phoenix", "203.0.113.30");
    eventually()
        .untilAsserted(
            () ->
                assertThat(get(Deployment.class, "phoenix"))
                    .isNotNull()
                    .satisfies(
                        d ->
                            assertThat(d.getMetadata().getUid())
                                .isNotEqualTo(uids.get("Deployment"))));
  }

  @Test
  void aReconcileThatFindsNothingChangedWritesNothing() {
    // a twin first: the caches then hold one copy of the field sets both FtpServers' objects have
    readyServer("quiet-twin", "203.0.113.41");
    readyServer("quiet", "203.0.113.40");
    // no reconcile of it may still be running (it could write the status it computed)
    eventually().until(() -> !TestCluster.RECONCILES.running(namespace, "quiet"));
    eventually().until(() -> !TestCluster.RECONCILES.running(namespace, "quiet-twin"));
    Map<String, String> twin = resourceVersions("quiet-twin");
    Map<String, String> before = resourceVersions("quiet");
    int eventsBefore = client.v1().events().inNamespace(namespace).list().getItems().size();
    long reconcilesBefore = TestCluster.RECONCILES.finished(namespace, "quiet");
    // another field manager touches the ConfigMap: an informer event, hence a reconcile
    client
        .configMaps()
        .inNamespace(namespace)
        .withName("quiet-settings")
        .edit(
            cm -> {
              cm.getMetadata().setAnnotations(Map.of("touched-by", "test"));
              return cm;
            });
    before.put(
        "ConfigMap", get(ConfigMap.class, "quiet-settings").getMetadata().getResourceVersion());

    eventually()
        .alias("the touch caused a reconcile")
        .until(() -> TestCluster.RECONCILES.finished(namespace, "quiet") > reconcilesBefore);
    assertThat(resourceVersions("quiet")).isEqualTo(before);
    assertThat(resourceVersions("quiet-twin")).isEqualTo(twin);
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
    versions.put("Deployment", get(Deployment.class, name).getMetadata().getResourceVersion());
    return versions;
  }

  @Test
  void aMissingUsersSecretIsAConditionWithAReasonAndTheOperatorRechecks() {
    FtpServer spec = ftpServer("lonely", ServiceType.LoadBalancer);
    spec.getSpec().setPassiveAddress("ftp.example.com");
    create(spec);
    eventually()
        .untilAsserted(
            () ->
                assertThat(condition("lonely", "Ready"))
                    .get()
                    .satisfies(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo("UsersSecretNotFound");
                          assertThat(c.getMessage()).contains("lonely-users", "not found");
                        }));
    eventually()
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("UsersSecretNotFound");
                        }));

    usersSecret("lonely-users");

    eventually()
        .untilAsserted(
            () ->
                assertThat(condition("lonely", "Ready"))
                    .get()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("PodsNotReady")));
  }

  @Test
  void aDeletedProbeSecretIsMadeAgainByOneReconcile() throws InterruptedException {
    usersSecret("probed-users");
    FtpServer spec = ftpServer("probed", ServiceType.LoadBalancer);
    spec.getSpec().setPassiveAddress("ftp.example.com");
    create(spec);
    eventually()
        .until(
            () ->
                get(Secret.class, "probed-probe") != null
                    && ftp("probed").getStatus() != null
                    && !TestCluster.RECONCILES.running(namespace, "probed"));
    Thread.sleep(1000); // events of the first reconciles have arrived
    String uid = get(Secret.class, "probed-probe").getMetadata().getUid();
    long before = TestCluster.RECONCILES.finished(namespace, "probed");

    client.secrets().inNamespace(namespace).withName("probed-probe").delete();
    eventually()
        .until(
            () -> {
              Secret again = get(Secret.class, "probed-probe");
              return again != null && !again.getMetadata().getUid().equals(uid);
            });
    eventually().until(() -> !TestCluster.RECONCILES.running(namespace, "probed"));
    // the ADD of the Secret that reconcile made is its own: no second reconcile follows it
    Thread.sleep(2000);
    assertThat(TestCluster.RECONCILES.finished(namespace, "probed")).isEqualTo(before + 1);
  }

  @Test
  void passiveAddressNeedsNoLoadBalancer() {
    usersSecret("fixed-users");
    FtpServer spec = ftpServer("fixed", ServiceType.LoadBalancer);
    spec.getSpec().setPassiveAddress("ftp.example.com");
    create(spec);
    eventually()
        .untilAsserted(
            () -> {
              Deployment d = get(Deployment.class, "fixed");
              assertThat(d).isNotNull();
              assertThat(env(d)).containsEntry("FTP_PUBLIC_ADDRESS", "ftp.example.com");
              assertThat(ftp("fixed").getStatus().getEndpoint())
                  .isEqualTo("ftp://ftp.example.com:21");
            });
  }

  @Test
  void clusterIpModeAdvertisesTheClusterIpWithoutRequiringAPublicAddress() {
    usersSecret("inside-users");
    create(ftpServer("inside", ServiceType.ClusterIP));
    eventually()
        .untilAsserted(
            () -> {
              Service service = get(Service.class, "inside");
              Deployment d = get(Deployment.class, "inside");
              assertThat(d).isNotNull();
              assertThat(env(d))
                  .containsEntry("FTP_PUBLIC_ADDRESS", service.getSpec().getClusterIP())
                  .containsEntry("FTP_REQUIRE_PUBLIC_ADDRESS", "false");
            });
  }

  @Test
  void nodePortModeUsesANodeAddressAndNodePortsEqualToPassivePorts() {
    String nodeName = "node-" + namespace;
    Node node =
        client
            .resource(
                new NodeBuilder()
                    .withNewMetadata()
                    .withName(nodeName)
                    .withLabels(Map.of("ftp-test", namespace))
                    .endMetadata()
                    .build())
            .create();
    client
        .nodes()
        .withName(nodeName)
        .editStatus(
            n -> {
              n.setStatus(
                  new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus("True")
                      .endCondition()
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress("192.0.2.10")
                      .endAddress()
                      .build());
              return n;
            });
    usersSecret("edge-users");
    FtpServer spec = ftpServer("edge", ServiceType.NodePort);
    spec.getSpec().setNodeSelector(Map.of("ftp-test", namespace));
    create(spec);
    eventually()
        .untilAsserted(
            () -> {
              Service service = get(Service.class, "edge");
              assertThat(service.getSpec().getPorts())
                  .filteredOn(p -> p.getPort() != 21)
                  .hasSize(5)
                  .allSatisfy(p -> assertThat(p.getNodePort()).isEqualTo(p.getPort()));
              Deployment d = get(Deployment.class, "edge");
              assertThat(d).isNotNull();
              assertThat(env(d)).containsEntry("FTP_PUBLIC_ADDRESS", "192.0.2.10");
              int controlNodePort =
                  service.getSpec().getPorts().stream()
                      .filter(p -> p.getPort() == 21)
                      .map(ServicePort::getNodePort)
                      .findFirst()
                      .orElseThrow();
              assertThat(ftp("edge").getStatus().getEndpoint())
                  .isEqualTo("ftp://192.0.2.10:" + controlNodePort);
            });
    client.resource(node).delete();
  }

  @Test
  void aSpecChangeUpdatesServiceAndSettingsAndRollsThePods() {
    readyServer("growing", "203.0.113.50");
    String hashBefore =
        get(Deployment.class, "growing")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(Names.SETTINGS_HASH_ANNOTATION);

    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName("growing")
        .edit(
            f -> {
              f.getSpec().getPassivePorts().setMax(30029);
              return f;
            });

    eventually()
        .untilAsserted(
            () -> {
              assertThat(get(Service.class, "growing").getSpec().getPorts()).hasSize(31);
              assertThat(get(ConfigMap.class, "growing-settings").getData())
                  .containsEntry("FTP_PASSIVE_PORTS", "30000-30029");
              Deployment d = get(Deployment.class, "growing");
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                  .hasSize(32);
              assertThat(
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getAnnotations()
                          .get(Names.SETTINGS_HASH_ANNOTATION))
                  .isNotEqualTo(hashBefore);
              FtpServer ftp = ftp("growing");
              assertThat(ftp.getStatus().getPassivePorts()).isEqualTo("30000-30029");
              assertThat(ftp.getStatus().getObservedGeneration())
                  .isEqualTo(ftp.getMetadata().getGeneration());
            });
  }
}
