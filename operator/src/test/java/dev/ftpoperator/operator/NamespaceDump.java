package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** What a failed API-server test leaves to read: the objects of its namespace and its Events. */
final class NamespaceDump {

  private NamespaceDump() {}

  static String of(KubernetesClient client, String namespace) {
    StringBuilder out = new StringBuilder("===== namespace " + namespace + " =====\n");
    for (Class<? extends HasMetadata> type :
        List.of(
            FtpServer.class,
            Service.class,
            ConfigMap.class,
            PersistentVolumeClaim.class,
            Deployment.class,
            io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
            io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class)) {
      for (HasMetadata o : client.resources(type).inNamespace(namespace).list().getItems()) {
        o.getMetadata().setManagedFields(null);
        out.append("--- ").append(type.getSimpleName()).append('\n');
        out.append(Serialization.asYaml(o));
      }
    }
    out.append("--- events\n");
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(
            e ->
                out.append(e.getType())
                    .append(' ')
                    .append(e.getReason())
                    .append(": ")
                    .append(e.getMessage())
                    .append('\n'));
    return out.toString();
  }
}
