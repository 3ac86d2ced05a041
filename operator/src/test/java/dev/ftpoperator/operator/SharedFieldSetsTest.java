package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedFieldSetsTest {

  /** A Deployment as the API server returns it: two managers, the owner's uid in a key. */
  static Deployment applied(String name, String ownerUid) {
    return Serialization.unmarshal(
        """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "%s", "namespace": "ns", "managedFields": [
           {"manager": "ftp-operator", "operation": "Apply", "apiVersion": "apps/v1",
            "time": "2026-12-02T10:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {
              "f:metadata": {"f:labels": {"f:app.kubernetes.io/instance": {}},
                "f:ownerReferences": {"k:{\\"uid\\":\\"%s\\"}": {}}},
              "f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers": {
                "k:{\\"name\\":\\"ftp-server\\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}}},
           {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
            "subresource": "status", "time": "2026-12-02T10:00:01Z", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:status": {"f:replicas": {}, "f:availableReplicas": {}}}}]}}
        """
            .formatted(name, ownerUid),
        Deployment.class);
  }

  static Map<String, Object> fields(Deployment d, int entry) {
    return d.getMetadata().getManagedFields().get(entry).getFieldsV1().getAdditionalProperties();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> member(Map<String, Object> set, String key) {
    return (Map<String, Object>) set.get(key);
  }

  @Test
  void objectsThatDifferOnlyInTheirOwnerHoldTheSameSpecAndStatusSets() {
    SharedFieldSets shared = new SharedFieldSets();
    Deployment a = applied("a", "uid-a");
    Deployment b = applied("b", "uid-b");
    shared.share(a);
    shared.share(b);
    assertThat(member(fields(b, 0), "f:spec")).isSameAs(member(fields(a, 0), "f:spec"));
    assertThat(fields(b, 1)).isSameAs(fields(a, 1));
    assertThat(member(fields(b, 0), "f:metadata")).isNotEqualTo(member(fields(a, 0), "f:metadata"));
  }

  @Test
  void theManagedFieldsReadTheSameAfterSharing() {
    Deployment deployment = applied("a", "uid-a");
    new SharedFieldSets().share(deployment);
    Deployment fresh = applied("a", "uid-a");
    assertThat(deployment.getMetadata().getManagedFields())
        .isEqualTo(fresh.getMetadata().getManagedFields());
    assertThat(Serialization.asJson(deployment)).isEqualTo(Serialization.asJson(fresh));
    ManagedFieldsEntry ours = deployment.getMetadata().getManagedFields().get(0);
    assertThat(ours.getManager()).isEqualTo("ftp-operator");
    assertThat(ours.getTime()).isEqualTo("2026-12-02T10:00:00Z");
  }

  @Test
  void aSharedSetCannotBeChangedThroughOneOfItsObjects() {
    SharedFieldSets shared = new SharedFieldSets();
    Deployment a = applied("a", "uid-a");
    shared.share(a);
    shared.share(applied("b", "uid-b"));
    assertThatThrownBy(() -> member(fields(a, 0), "f:spec").put("f:paused", Map.of()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> member(fields(a, 0), "f:spec").clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anObjectWithoutManagedFieldsIsLeftAsItIs() {
    Deployment deployment = applied("a", "uid-a");
    deployment.getMetadata().setManagedFields(null);
    new SharedFieldSets().share(deployment);
    assertThat(deployment.getMetadata().getManagedFields()).isNull();
  }
}
