package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ReplicaStatus;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds an FtpServer's status from the resolved view and what the reconcile observed. Pure: the
 * same inputs give the same status, and a condition keeps its lastTransitionTime while its status
 * does not change, so a reconcile that observes nothing new produces an equal status and no write.
 */
public final class StatusComputer {

  public static final String ADDRESS_ASSIGNED = "AddressAssigned";
  public static final String AVAILABLE = "Available";
  public static final String READY = "Ready";

  /** Listeners an AWS Network Load Balancer accepts: port 21 plus 49 passive ports. */
  public static final int AWS_NLB_LISTENER_CAP = 50;

  private StatusComputer() {}

  /**
   * What the reconciler saw besides the resolved view: the workload (the Deployment of one replica
   * or the StatefulSet of several), the replicated server's pods, problems with other objects.
   */
  public record Observed(
      Optional<Deployment> deployment,
      Optional<StatefulSet> statefulSet,
      List<Pod> pods,
      List<Problem> problems,
      Instant now) {

    /** A one-replica FtpServer's observation. */
    public Observed(Optional<Deployment> deployment, List<Problem> problems, Instant now) {
      this(deployment, Optional.empty(), List.of(), problems, now);
    }

    boolean workloadExists() {
      return deployment.isPresent() || statefulSet.isPresent();
    }

    private int count(
        java.util.function.Function<DeploymentStatus, Integer> fromDeployment,
        java.util.function.Function<StatefulSetStatus, Integer> fromStatefulSet) {
      Integer n =
          deployment.isPresent()
              ? deployment.map(Deployment::getStatus).map(fromDeployment).orElse(null)
              : statefulSet.map(StatefulSet::getStatus).map(fromStatefulSet).orElse(null);
      return n == null ? 0 : n;
    }
  }

  public static FtpServerStatus compute(ResolvedFtpServer ftp, Observed observed) {
    long generation = ftp.generation();
    FtpServerStatus status = new FtpServerStatus();
    status.setObservedGeneration(generation);
    status.setPassivePorts(ftp.passivePorts().toString());
    ftp.address()
        .ifPresent(
            a -> {
              status.setPublicAddress(a.address());
              status.setEndpoint(a.endpoint(ftp.implicitTls()));
            });
    int ready =
        observed.count(DeploymentStatus::getReadyReplicas, StatefulSetStatus::getReadyReplicas);
    int available =
        observed.count(
            DeploymentStatus::getAvailableReplicas, StatefulSetStatus::getAvailableReplicas);
    status.setReplicas(
        observed.count(DeploymentStatus::getReplicas, StatefulSetStatus::getReplicas));
    status.setReadyReplicas(ready);
    status.setSelector(selector(ftp));
    if (ftp.replicated()) {
      status.setPods(pods(ftp, observed.pods()));
    }

    Condition address =
        ftp.address()
            .map(
                a ->
                    condition(
                        ADDRESS_ASSIGNED,
                        true,
                        a.source().reason,
                        "Advertising "
                            + a.address()
                            + " ("
                            + a.source().description
                            + ") in PASV replies"))
            .orElseGet(
                () -> condition(ADDRESS_ASSIGNED, false, waitingReason(ftp), waitingMessage(ftp)));

    String pods = ready + " of " + ftp.replicas() + " server pods ready";
    Condition availability;
    if (!observed.workloadExists() && ftp.replicated()) {
      availability =
          condition(
              AVAILABLE,
              false,
              Reason.WaitingForAddress,
              "The server StatefulSet is created once the public address and the per-pod"
                  + " Services' addresses are known");
    } else if (!observed.workloadExists()) {
      availability =
          condition(
              AVAILABLE,
              false,
              Reason.WaitingForAddress,
              "The server Deployment is created once the public address is known");
    } else if (available >= 1) {
      availability = condition(AVAILABLE, true, Reason.MinimumReplicasAvailable, pods);
    } else {
      String why =
          observed.problems().isEmpty() ? "" : " (" + observed.problems().get(0).reason() + ")";
      availability = condition(AVAILABLE, false, Reason.PodsNotReady, pods + why);
    }

    Condition readiness;
    if (!observed.problems().isEmpty()) {
      String message =
          observed.problems().stream().map(Problem::message).collect(Collectors.joining("; "));
      readiness = condition(READY, false, observed.problems().get(0).reason(), message);
    } else if (!isTrue(address)) {
      readiness = sameAs(READY, address);
    } else if (!isTrue(availability)) {
      readiness = sameAs(READY, availability);
    } else {
      readiness = condition(READY, true, Reason.Ready, "Serving at " + status.getEndpoint());
    }

    List<Condition> conditions = List.of(address, availability, readiness);
    for (Condition c : conditions) {
      c.setObservedGeneration(generation);
      c.setLastTransitionTime(transitionTime(ftp.ftp().getStatus(), c, observed.now()));
    }
    status.setConditions(new ArrayList<>(conditions));
    List<String> warnings = warnings(ftp);
    status.setWarnings(warnings.isEmpty() ? null : warnings);
    return status;
  }

  /** The scale subresource's selector: the labels every server pod carries. */
  static String selector(ResolvedFtpServer ftp) {
    return Names.selector(ftp.ftp()).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** Every ordinal of a replicated FtpServer with its slice, and whether its pod is Ready. */
  static List<ReplicaStatus> pods(ResolvedFtpServer ftp, List<Pod> pods) {
    List<ReplicaStatus> replicas = new ArrayList<>();
    for (PassiveSlice slice : ftp.slices()) {
      String name = Names.pod(ftp.ftp(), slice.ordinal());
      boolean ready =
          pods.stream()
              .filter(p -> name.equals(p.getMetadata().getName()))
              .anyMatch(StatusComputer::isReady);
      replicas.add(new ReplicaStatus(name, slice.ordinal(), slice.toString(), ready));
    }
    return replicas;
  }

  private static boolean isReady(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * The status after a failed reconcile: what was known stays, Ready turns False with the given
   * reason; its lastTransitionTime is kept when Ready was already False.
   */
  public static FtpServerStatus failed(FtpServer ftp, Reason reason, String message, Instant now) {
    FtpServerStatus previous = ftp.getStatus() == null ? new FtpServerStatus() : ftp.getStatus();
    Condition ready = condition(READY, false, reason, message);
    ready.setObservedGeneration(ftp.getMetadata().getGeneration());
    ready.setLastTransitionTime(transitionTime(previous, ready, now));
    List<Condition> conditions = new ArrayList<>();
    if (previous.getConditions() != null) {
      previous.getConditions().stream()
          .filter(c -> !READY.equals(c.getType()))
          .forEach(conditions::add);
    }
    conditions.add(ready);

    FtpServerStatus status = new FtpServerStatus();
    status.setObservedGeneration(previous.getObservedGeneration());
    status.setPublicAddress(previous.getPublicAddress());
    status.setEndpoint(previous.getEndpoint());
    status.setPassivePorts(previous.getPassivePorts());
    status.setReplicas(previous.getReplicas());
    status.setReadyReplicas(previous.getReadyReplicas());
    status.setSelector(previous.getSelector());
    status.setPods(previous.getPods());
    status.setWarnings(previous.getWarnings());
    status.setConditions(conditions);
    return status;
  }

  static List<String> warnings(ResolvedFtpServer ftp) {
    List<String> warnings = new ArrayList<>();
    PassivePorts ports = ftp.passivePorts();
    if (ftp.serviceType() == ServiceType.LoadBalancer && ports.count() + 1 > AWS_NLB_LISTENER_CAP) {
      warnings.add(
          "The Service has "
              + (ports.count() + 1)
              + " ports (21 and "
              + ports.count()
              + " passive ports): more than the "
              + AWS_NLB_LISTENER_CAP
              + " listeners an AWS Network Load"
              + " Balancer accepts; other cloud load balancers have similar caps");
    }
    if (ftp.serviceType() != ServiceType.ClusterIP
        && ftp.trafficPolicy() == TrafficPolicy.Cluster) {
      warnings.add(
          "externalTrafficPolicy Cluster hides the clients' addresses from the server: per-IP"
              + " limits and the passive-connection IP check then see node addresses");
    }
    return warnings;
  }

  private static Reason waitingReason(ResolvedFtpServer ftp) {
    return switch (ftp.serviceType()) {
      case LoadBalancer -> Reason.WaitingForLoadBalancer;
      case NodePort -> Reason.NoNodeAddress;
      case ClusterIP -> Reason.WaitingForClusterIP;
    };
  }

  private static String waitingMessage(ResolvedFtpServer ftp) {
    String service = Names.service(ftp.ftp());
    return switch (ftp.serviceType()) {
      case LoadBalancer ->
          "Waiting for a load balancer to give Service "
              + service
              + " an address (status.loadBalancer.ingress); the server pod starts once it is known, so PASV"
              + " never advertises a private address. Set spec.passiveAddress to use a known address instead";
      case NodePort ->
          "No Ready node with an ExternalIP or InternalIP"
              + " (matching spec.nodeSelector) or no node port assigned to Service "
              + service
              + " yet";
      case ClusterIP -> "Waiting for Service " + service + " to get a ClusterIP";
    };
  }

  public static Optional<Condition> condition(FtpServerStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Kept from the previous status while the condition's status stays the same. */
  private static String transitionTime(FtpServerStatus previous, Condition now, Instant at) {
    return condition(previous, now.getType())
        .filter(
            p ->
                Objects.equals(p.getStatus(), now.getStatus()) && p.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(timestamp(at));
  }

  private static boolean isTrue(Condition c) {
    return "True".equals(c.getStatus());
  }

  /** A condition of another type that repeats {@code cause}'s status, reason and message. */
  private static Condition sameAs(String type, Condition cause) {
    return new ConditionBuilder(cause).withType(type).build();
  }

  private static Condition condition(String type, boolean status, Reason reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason.name())
        .withMessage(message)
        .build();
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
