package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * With replicas > 1, one ClusterIP Service per pod, {@code <name>-<k>}, that carries only the relay
 * port to pod k. Its ClusterIP is the pod's stable relay address: it outlives pod restarts, needs
 * no cluster DNS, and the operator writes it into every pod's FTP_CLUSTER_PEERS before the
 * StatefulSet exists. Not-ready pods stay reachable (publishNotReadyAddresses): a starting or
 * draining pod still takes the relayed data connections of its own sessions.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector =
                Names.MANAGED_SELECTOR + "," + Names.LABEL_COMPONENT + "=" + Names.COMPONENT_PEER,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class PeerServicesDependent extends CRUDKubernetesDependentResource<Service, FtpServer>
    implements BulkDependentResource<Service, FtpServer, ResourceID> {

  public PeerServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  @Override
  public Map<ResourceID, Service> getSecondaryResources(
      FtpServer primary, Context<FtpServer> context) {
    Map<ResourceID, Service> actual = new LinkedHashMap<>();
    eventSource()
        .orElseThrow()
        .getSecondaryResources(primary)
        .forEach(s -> actual.put(ResourceID.fromResource(s), s));
    return actual;
  }

  /** One Service per ordinal 0..replicas-1, by name. */
  public static Map<ResourceID, Service> desired(ResolvedFtpServer view) {
    Map<ResourceID, Service> services = new LinkedHashMap<>();
    for (int k = 0; k < view.replicas(); k++) {
      Service service = desired(view, k);
      services.put(ResourceID.fromResource(service), service);
    }
    return services;
  }

  static Service desired(ResolvedFtpServer view, int ordinal) {
    FtpServer ftp = view.ftp();
    Service service =
        new ServiceBuilder()
            .withMetadata(Names.meta(ftp, Names.peerService(ftp, ordinal), Names.COMPONENT_PEER))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(Map.of(Names.LABEL_POD_NAME, Names.pod(ftp, ordinal)))
            .addNewPort()
            .withName("relay")
            .withProtocol("TCP")
            .withPort(Names.RELAY_PORT)
            .withTargetPort(new IntOrString(Names.RELAY_PORT))
            .endPort()
            .withPublishNotReadyAddresses(true)
            .endSpec()
            .build();
    return Names.owned(service, ftp);
  }

  /**
   * The relay address of each ordinal below {@code replicas} whose per-pod Service has a ClusterIP
   * (Services of other FtpServers or ordinals are ignored).
   */
  static SortedMap<Integer, String> relayAddresses(
      FtpServer ftp, Collection<Service> services, int replicas) {
    SortedMap<Integer, String> addresses = new TreeMap<>();
    String prefix = ftp.getMetadata().getName() + "-";
    for (Service s : services) {
      String name = s.getMetadata().getName();
      Map<String, String> labels = s.getMetadata().getLabels();
      if (!name.startsWith(prefix)
          || labels == null
          || !Names.COMPONENT_PEER.equals(labels.get(Names.LABEL_COMPONENT))
          || !ftp.getMetadata().getName().equals(labels.get(Names.LABEL_INSTANCE))) {
        continue;
      }
      ordinal(name.substring(prefix.length()))
          .filter(k -> k < replicas)
          .ifPresent(
              k -> {
                String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
                if (ip != null && !ip.isBlank() && !"None".equals(ip)) {
                  addresses.put(k, ip);
                }
              });
    }
    return addresses;
  }

  private static Optional<Integer> ordinal(String suffix) {
    if (suffix.isEmpty() || suffix.length() > 2 || !suffix.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(suffix));
  }

  /** Reconcile precondition: only replicated FtpServers have per-pod Services. */
  public static class Wanted implements Condition<Service, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<Service, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).replicated();
    }
  }

  /**
   * Ready postcondition: every ordinal's Service has its ClusterIP, so the StatefulSet (which
   * depends on this) starts its pods with the complete FTP_CLUSTER_PEERS.
   */
  public static class PeersKnown implements Condition<Service, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<Service, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).peersKnown();
    }
  }
}
