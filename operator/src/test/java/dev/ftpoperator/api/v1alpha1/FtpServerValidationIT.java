package dev.ftpoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.operator.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD against a real kube-apiserver: it installs, and admission rejects bad specs with clear
 * messages.
 */
class FtpServerValidationIT {

  static KubernetesClient client;
  static String namespace;

  @BeforeAll
  static void cluster() {
    client = TestCluster.client();
    namespace = TestCluster.newNamespace("validation");
  }

  static GenericKubernetesResource ftpServer(String name, String specYaml) {
    String yaml =
        "apiVersion: ftp.operator.dev/v1alpha1\nkind: FtpServer\nmetadata:\n  name: "
            + name
            + "\n  namespace: "
            + namespace
            + "\nspec:\n"
            + specYaml.indent(2);
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  static final String USERS = "users: {secretRef: {name: partners-users}}\n";
  static final String PORTS = "passivePorts: {min: 30000, max: 30019}\n";
  static final String SHARED = "storage: {accessMode: ReadWriteMany}\n";

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            "passive min below 1024",
            USERS + "passivePorts: {min: 1000, max: 1010}",
            "spec.passivePorts.min: Invalid value"),
        Arguments.of(
            "passive max above 65535",
            USERS + "passivePorts: {min: 65000, max: 70000}",
            "spec.passivePorts.max: Invalid value"),
        Arguments.of(
            "min greater than max",
            USERS + "passivePorts: {min: 30010, max: 30000}",
            "passivePorts.min must be less than or equal to passivePorts.max"),
        Arguments.of(
            "more than 1000 ports",
            USERS + "passivePorts: {min: 30000, max: 31000}",
            "at most 1000 ports; a Kubernetes Service has no port ranges"),
        Arguments.of(
            "range contains the control port",
            USERS + "passivePorts: {min: 2000, max: 2200}",
            "passivePorts must not contain 2121"),
        Arguments.of(
            "range contains the health port",
            USERS + "passivePorts: {min: 8000, max: 8100}",
            "passivePorts must not contain 8080"),
        Arguments.of("passive ports missing", USERS, "spec.passivePorts: Required value"),
        Arguments.of(
            "neither users nor anonymous", PORTS, "set users.secretRef.name, or anonymous: true"),
        Arguments.of(
            "users secret name missing",
            PORTS + "users: {secretRef: {}}",
            "spec.users.secretRef.name: Required value"),
        Arguments.of(
            "users secret name invalid",
            PORTS + "users: {secretRef: {name: Bad_Name}}",
            "spec.users.secretRef.name: Invalid value"),
        Arguments.of(
            "NodePort outside the node-port range",
            USERS + "passivePorts: {min: 20000, max: 20010}\nservice: {type: NodePort}",
            "service.type NodePort needs passivePorts within the node-port range 30000-32767"),
        Arguments.of(
            "unknown service type",
            USERS + PORTS + "service: {type: ExternalName}",
            "spec.service.type: Unsupported value: \"ExternalName\""),
        Arguments.of(
            "unknown traffic policy",
            USERS + PORTS + "service: {externalTrafficPolicy: Sometimes}",
            "spec.service.externalTrafficPolicy: Unsupported value"),
        Arguments.of(
            "loadBalancerClass without a load balancer",
            USERS + PORTS + "service: {type: ClusterIP, loadBalancerClass: metallb}",
            "service.loadBalancerClass is only allowed with service.type LoadBalancer"),
        Arguments.of(
            "source ranges without a load balancer",
            USERS + PORTS + "service: {type: NodePort, loadBalancerSourceRanges: [10.0.0.0/8]}",
            "service.loadBalancerSourceRanges is only allowed with service.type LoadBalancer"),
        Arguments.of(
            "TLS mode without a TLS secret",
            USERS + PORTS + "tls: {mode: Required}",
            "tls.mode needs tls.secretRef.name"),
        Arguments.of(
            "unknown TLS mode",
            USERS + PORTS + "tls: {mode: Sometimes, secretRef: {name: cert}}",
            "spec.tls.mode: Unsupported value"),
        Arguments.of(
            "zero replicas",
            USERS + PORTS + "replicas: 0",
            "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"),
        Arguments.of(
            "more than 8 replicas",
            USERS + PORTS + "replicas: 9\n" + SHARED,
            "spec.replicas in body should be less than or equal to 8"),
        Arguments.of(
            "fewer than 2 passive ports per replica",
            USERS + "passivePorts: {min: 30000, max: 30004}\nreplicas: 3\n" + SHARED,
            "passivePorts needs at least 2 ports per replica (N replicas: 2N ports)"),
        Arguments.of(
            "several replicas on emptyDir",
            USERS + PORTS + "replicas: 2\nstorage: {emptyDir: true}",
            "replicas > 1 cannot use storage.emptyDir"),
        Arguments.of(
            "several replicas on a created ReadWriteOnce claim",
            USERS + PORTS + "replicas: 2",
            "replicas > 1 needs storage all pods can mount at once: set storage.accessMode:"
                + " ReadWriteMany"),
        Arguments.of(
            "unknown access mode",
            USERS + PORTS + "storage: {accessMode: ReadOnlyMany}",
            "spec.storage.accessMode: Unsupported value"),
        Arguments.of(
            "emptyDir and an existing claim",
            USERS + PORTS + "storage: {emptyDir: true, existingClaim: old-data}",
            "storage: choose either emptyDir or existingClaim, not both"),
        Arguments.of(
            "storage size not a quantity",
            USERS + PORTS + "storage: {size: ten gigs}",
            "spec.storage.size: Invalid value"),
        Arguments.of(
            "passive address with a space",
            USERS + PORTS + "passiveAddress: \"ftp example.com\"",
            "spec.passiveAddress: Invalid value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void admissionRejectsInvalidSpecWithMessage(String what, String spec, String expected) {
    GenericKubernetesResource bad = ftpServer("bad", spec);
    assertThatThrownBy(() -> client.resource(bad).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @Test
  void crdIsEstablishedWithStatusSubresourceShortNameAndPrinterColumns() {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().withName(FtpServer.CRD_NAME).get();
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ftp");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder(
            "Ready", "Verified", "Endpoint", "Passive ports", "Replicas", "Ready pods", "Age");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getScale())
        .satisfies(
            scale -> {
              assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
              assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
              assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
            });
  }

  @Test
  void designExampleIsAcceptedAndDefaultsAreFilledIn() {
    GenericKubernetesResource created =
        client
            .resource(
                ftpServer(
                    "partners",
                    USERS
                        + PORTS
                        + "storage: {size: 10Gi}\nservice: {}\nactiveMode: {}\ntls: {secretRef: {name: cert}}"))
            .create();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("replicas", 1).containsEntry("anonymous", false);
    assertThat(spec.get("service"))
        .isEqualTo(Map.of("type", "LoadBalancer", "externalTrafficPolicy", "Local"));
    assertThat(spec.get("activeMode")).isEqualTo(Map.of("enabled", true));
    assertThat(spec.get("tls"))
        .isEqualTo(
            Map.of(
                "mode",
                "Explicit",
                "requireSessionReuse",
                true,
                "secretRef",
                Map.of("name", "cert")));
    assertThat(spec.get("storage"))
        .isEqualTo(Map.of("size", "10Gi", "emptyDir", false, "accessMode", "ReadWriteOnce"));
  }

  @Test
  void aMinimalFtpServerIsStoredWithExactlyTheDefaultsTheOperatorApplies() {
    GenericKubernetesResource created =
        client.resource(ftpServer("minimal", USERS + PORTS)).create();
    FtpServerSpec stored =
        Serialization.unmarshal(
            Serialization.asJson(created.getAdditionalProperties().get("spec")),
            FtpServerSpec.class);
    FtpServerSpec asWritten = Serialization.unmarshal(USERS + PORTS, FtpServerSpec.class);
    assertThat(Serialization.asJson(SchemaDefaults.applied(asWritten)))
        .as("kubectl get -o yaml shows what the operator uses")
        .isEqualTo(Serialization.asJson(stored));
    assertThat(stored.getStorage().getSize()).isEqualTo("1Gi");
    assertThat(stored.getService().getType()).isEqualTo(ServiceType.LoadBalancer);
  }

  /** Edits the stored FtpServer's storage the way kubectl edit does (a patch of the difference). */
  static void editStorage(String name, java.util.function.Consumer<StorageSpec> edit) {
    client
        .resources(FtpServer.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            ftp -> {
              edit.accept(ftp.getSpec().getStorage());
              return ftp;
            });
  }

  @Test
  void theStorageClassCannotChangeAndTheSizeOnlyGrows() {
    client
        .resource(ftpServer("grow", USERS + PORTS + "storage: {size: 2Gi, storageClassName: fast}"))
        .create();
    assertThatThrownBy(() -> editStorage("grow", s -> s.setStorageClassName("slow")))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("storage.storageClassName cannot change");
    assertThatThrownBy(() -> editStorage("grow", s -> s.setStorageClassName(null)))
        .hasMessageContaining("storage.storageClassName cannot change");
    assertThatThrownBy(() -> editStorage("grow", s -> s.setSize("1536Mi")))
        .hasMessageContaining("storage.size can only grow");
    editStorage("grow", s -> s.setSize("3Gi"));
    assertThat(
            client
                .resources(FtpServer.class)
                .inNamespace(namespace)
                .withName("grow")
                .get()
                .getSpec()
                .getStorage()
                .getSize())
        .isEqualTo("3Gi");
  }

  @Test
  void theAccessModeCannotChange() {
    client.resource(ftpServer("mode", USERS + PORTS)).create();
    assertThatThrownBy(() -> editStorage("mode", s -> s.setAccessMode(AccessMode.ReadWriteMany)))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("storage.accessMode cannot change");
  }

  @Test
  void severalReplicasAreAcceptedOnSharedStorageWithEnoughPorts() {
    client
        .resource(
            ftpServer(
                "shared", USERS + "passivePorts: {min: 30000, max: 30015}\nreplicas: 8\n" + SHARED))
        .create();
    client
        .resource(
            ftpServer(
                "existing", USERS + PORTS + "replicas: 3\nstorage: {existingClaim: nfs-data}"))
        .create();
  }

  @Test
  void kubectlScaleWorksThroughTheScaleSubresourceAndAdmissionStillApplies() {
    client.resource(ftpServer("scaled", USERS + PORTS + SHARED)).create();
    var resource = client.resources(FtpServer.class).inNamespace(namespace).withName("scaled");
    resource.scale(3);
    assertThat(resource.get().getSpec().getReplicas()).isEqualTo(3);
    assertThat(resource.scale().getSpec().getReplicas()).isEqualTo(3);

    client.resource(ftpServer("local", USERS + PORTS + "storage: {emptyDir: true}")).create();
    assertThatThrownBy(
            () ->
                client.resources(FtpServer.class).inNamespace(namespace).withName("local").scale(2))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("replicas > 1 cannot use storage.emptyDir");
  }

  @Test
  void anonymousOnlyServerNeedsNoUsersSecret() {
    client.resource(ftpServer("anon", PORTS + "anonymous: true")).create();
  }
}
