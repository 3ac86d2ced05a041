package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The server pods of an FtpServer with replicas > 1: a StatefulSet, so pod k keeps its name {@code
 * <name>-k} (its ordinal, hence its passive-port slice, and its per-pod Service) across restarts.
 * The pod template is the Deployment's plus what the relay needs: the pod's name, the number of
 * replicas, every peer's relay address (the per-pod Services' ClusterIPs, known before this object
 * is created), the relay port and the mounted relay Secret. Pods start in parallel, roll one at a
 * time, spread over nodes where they can, and get a longer grace period to drain: while one drains,
 * the others take new sessions.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class ServerStatefulSetDependent
    extends CRUDKubernetesDependentResource<StatefulSet, FtpServer> {

  public static final String CLUSTER_DIR = "/etc/ftp/cluster";
  static final String CLUSTER_VOLUME = "cluster";

  /** How long a replicated pod may drain its transfers; the pod's grace period adds 10 s. */
  static final int DRAIN_SECONDS = 110;

  /**
   * A deleted pod keeps serving this long before it is told to stop: the load balancer's endpoints
   * (kube-proxy, cloud target groups) still send it new connections for a moment, and a pod gone or
   * no longer listening would time them out, while the other replicas could have taken them.
   */
  static final long DEREGISTER_SECONDS = 5;

  public ServerStatefulSetDependent() {
    super(StatefulSet.class);
  }

  /**
   * Finds the existing object by name without rendering it (when it is to be deleted, what it would
   * need may not be known).
   */
  @Override
  protected ResourceID targetSecondaryResourceID(FtpServer primary, Context<FtpServer> context) {
    return new ResourceID(Names.statefulSet(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected StatefulSet desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  /** Only called once the address and every peer's relay address are known. */
  public static StatefulSet desired(ResolvedFtpServer view) {
    PublicAddress address =
        view.address()
            .orElseThrow(
                () -> new IllegalStateException("public address of " + view.name() + " not known"));
    if (!view.peersKnown()) {
      throw new IllegalStateException("relay addresses of " + view.name() + " not all known");
    }
    FtpServer ftp = view.ftp();
    PodTemplateSpec template = ServerDeploymentDependent.podTemplate(view, address);
    PodSpec pod = template.getSpec();
    pod.setTerminationGracePeriodSeconds((long) DRAIN_SECONDS + 10);
    pod.setContainers(List.of(relayContainer(view, pod.getContainers().get(0))));
    pod.getVolumes()
        .add(
            new VolumeBuilder()
                .withName(CLUSTER_VOLUME)
                .withNewSecret()
                .withSecretName(Names.clusterSecret(ftp))
                .withDefaultMode(0440)
                .withOptional(false)
                .endSecret()
                .build());
    pod.setAffinity(spreadOverNodes(view, pod.getAffinity()));

    StatefulSet set =
        new StatefulSetBuilder()
            .withMetadata(Names.meta(ftp, Names.statefulSet(ftp), Names.COMPONENT_SERVER))
            .withNewSpec()
            .withReplicas(view.replicas())
            .withServiceName(Names.peersGoverningService(ftp))
            .withPodManagementPolicy("Parallel")
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .endUpdateStrategy()
            .withNewSelector()
            .withMatchLabels(Names.selector(ftp))
            .endSelector()
            .withTemplate(template)
            .endSpec()
            .build();
    return Names.owned(set, ftp);
  }

  private static Container relayContainer(ResolvedFtpServer view, Container base) {
    return new ContainerBuilder(base)
        .addAllToEnv(clusterEnv(view))
        .addNewPort()
        .withName("relay")
        .withContainerPort(Names.RELAY_PORT)
        .withProtocol("TCP")
        .endPort()
        .addToVolumeMounts(
            new VolumeMountBuilder()
                .withName(CLUSTER_VOLUME)
                .withMountPath(CLUSTER_DIR)
                .withReadOnly(true)
                .build())
        .withNewLifecycle()
        .withNewPreStop()
        .withNewSleep(DEREGISTER_SECONDS)
        .endPreStop()
        .endLifecycle()
        .build();
  }

  /** The FTP_CLUSTER_* settings of the operator/ftp-server relay contract, and the pod's name. */
  static List<EnvVar> clusterEnv(ResolvedFtpServer view) {
    String peers =
        view.peers().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    return List.of(
        new EnvVarBuilder()
            .withName("FTP_POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withApiVersion("v1")
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build(),
        new EnvVar("FTP_CLUSTER_REPLICAS", Integer.toString(view.replicas()), null),
        new EnvVar("FTP_CLUSTER_PEERS", peers, null),
        new EnvVar("FTP_CLUSTER_RELAY_PORT", Integer.toString(Names.RELAY_PORT), null),
        new EnvVar("FTP_CLUSTER_SECRET_FILE", CLUSTER_DIR + "/" + ClusterSecretDependent.KEY, null),
        new EnvVar("FTP_SHUTDOWN_GRACE_SECONDS", Integer.toString(DRAIN_SECONDS), null));
  }

  /**
   * The user's affinity plus a soft preference for one pod per node, so a node failure takes one
   * replica, not all.
   */
  static Affinity spreadOverNodes(ResolvedFtpServer view, Affinity affinity) {
    WeightedPodAffinityTerm apart =
        new WeightedPodAffinityTermBuilder()
            .withWeight(100)
            .withNewPodAffinityTerm()
            .withTopologyKey("kubernetes.io/hostname")
            .withNewLabelSelector()
            .withMatchLabels(Names.selector(view.ftp()))
            .endLabelSelector()
            .endPodAffinityTerm()
            .build();
    AffinityBuilder builder =
        affinity != null ? new AffinityBuilder(affinity) : new AffinityBuilder();
    List<WeightedPodAffinityTerm> preferred = new ArrayList<>();
    if (affinity != null
        && affinity.getPodAntiAffinity() != null
        && affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
            != null) {
      preferred.addAll(
          affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
    }
    preferred.add(apart);
    return builder
        .editOrNewPodAntiAffinity()
        .withPreferredDuringSchedulingIgnoredDuringExecution(preferred)
        .endPodAntiAffinity()
        .build();
  }

  /** Reconcile precondition: several replicas run as this StatefulSet. */
  public static class Replicated implements Condition<StatefulSet, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<StatefulSet, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      return ResolvedFtpServer.of(context).replicated();
    }
  }
}
