package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactModelTest {

  static Service service(String name) {
    return Serialization.unmarshal(
        """
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "%s", "namespace": "bench",
           "labels": {"app.kubernetes.io/managed-by": "ftp-operator"},
           "annotations": {"example.com/unknown": "kept"}},
         "spec": {"type": "ClusterIP", "ports": [
           {"name": "ftp", "port": 21, "protocol": "TCP", "targetPort": "ftp"}],
           "someFutureField": {"nested": "value"}}}
        """
            .formatted(name),
        Service.class);
  }

  @Test
  void equalStringsOfDifferentObjectsBecomeOneInstance() {
    CompactModel compaction = new CompactModel();
    Service a = service("a");
    Service b = service("b");
    assertThat(b.getMetadata().getNamespace()).isNotSameAs(a.getMetadata().getNamespace());
    compaction.compact(a);
    compaction.compact(b);
    assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
    assertThat(b.getMetadata().getLabels().get("app.kubernetes.io/managed-by"))
        .isSameAs(a.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertThat(b.getSpec().getPorts().get(0).getProtocol())
        .isSameAs(a.getSpec().getPorts().get(0).getProtocol());
    assertThat(b.getSpec().getPorts().get(0).getTargetPort().getStrVal())
        .isSameAs(a.getSpec().getPorts().get(0).getTargetPort().getStrVal());
  }

  @Test
  void aCompactedObjectEqualsAndSerializesAsTheOneReadFromTheApiServer() {
    Service compacted = service("a");
    new CompactModel().compact(compacted);
    Service read = service("a");
    assertThat(compacted).isEqualTo(read);
    assertThat(Serialization.asJson(compacted)).isEqualTo(Serialization.asJson(read));
    assertThat(compacted.getSpec().getAdditionalProperties())
        .containsEntry("someFutureField", Map.of("nested", "value"));
  }

  @Test
  void emptyAdditionalPropertiesAreOneSharedMapThatRefusesWrites() {
    CompactModel compaction = new CompactModel();
    Service a = service("a");
    Service b = service("b");
    compaction.compact(a);
    compaction.compact(b);
    assertThat(a.getMetadata().getAdditionalProperties()).isEmpty();
    assertThat(b.getMetadata().getAdditionalProperties())
        .isSameAs(a.getMetadata().getAdditionalProperties());
    assertThatThrownBy(() -> a.getMetadata().getAdditionalProperties().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anFtpServersMetadataAndSpecAreCompactedToo() {
    String json =
        """
        {"apiVersion": "ftp.operator.dev/v1alpha1", "kind": "FtpServer",
         "metadata": {"name": "%s", "namespace": "bench"},
         "spec": {"users": {"secretRef": {"name": "users"}}, "passiveAddress": "203.0.113.10",
           "service": {"type": "ClusterIP"}}}
        """;
    CompactModel compaction = new CompactModel();
    FtpServer a = Serialization.unmarshal(json.formatted("a"), FtpServer.class);
    FtpServer b = Serialization.unmarshal(json.formatted("b"), FtpServer.class);
    compaction.compact(a);
    compaction.compact(b);
    assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
    assertThat(b.getSpec().getPassiveAddress()).isSameAs(a.getSpec().getPassiveAddress());
    assertThat(b.getSpec().getUsers().getSecretRef().getName())
        .isSameAs(a.getSpec().getUsers().getSecretRef().getName());
  }

  @Test
  void sharedFieldSetsAreLeftAsTheyAre() {
    Deployment deployment = SharedFieldSetsTest.applied("a", "uid-a");
    new SharedFieldSets().share(deployment);
    Map<String, Object> fields = SharedFieldSetsTest.fields(deployment, 0);
    new CompactModel().compact(deployment);
    assertThat(SharedFieldSetsTest.fields(deployment, 0)).isSameAs(fields);
    assertThat(Serialization.asJson(deployment))
        .isEqualTo(Serialization.asJson(SharedFieldSetsTest.applied("a", "uid-a")));
  }
}
