package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds an FtpServer's status from what the operator observed. Pure: the same inputs give the same
 * status, and a condition keeps its lastTransitionTime while its status does not change, so a
 * reconcile that observes nothing new produces an equal status and no write.
 */
public final class StatusComputer {

  public static final String ADDRESS_ASSIGNED = "AddressAssigned";
  public static final String AVAILABLE = "Available";
  public static final String READY = "Ready";
  public static final String RECONCILE_FAILED = "ReconcileFailed";

  /** Listeners an AWS Network Load Balancer accepts: port 21 plus 49 passive ports. */
  public static final int AWS_NLB_LISTENER_CAP = 50;

  private StatusComputer() {}

  /** What the reconciler saw. */
  public record Observed(
      Optional<PublicAddress> address,
      Optional<Deployment> deployment,
      List<Problem> problems,
      Instant now) {}

  public static FtpServerStatus compute(FtpServer ftp, Observed observed) {
    FtpServerStatus previous = ftp.getStatus();
    long generation =
        ftp.getMetadata().getGeneration() == null ? 0 : ftp.getMetadata().getGeneration();
    FtpServerStatus status = new FtpServerStatus();
    status.setObservedGeneration(generation);
    status.setPassivePorts(Spec.passivePorts(ftp).toString());
    observed
        .address()
        .ifPresent(
            a -> {
              status.setPublicAddress(a.address());
              status.setEndpoint(a.endpoint(Spec.implicitTls(ftp)));
            });
    int ready =
        observed
            .deployment()
            .map(Deployment::getStatus)
            .map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas())
            .orElse(0);
    int available =
        observed
            .deployment()
            .map(Deployment::getStatus)
            .map(s -> s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas())
            .orElse(0);
    int wanted = ftp.getSpec().getReplicas() == null ? 1 : ftp.getSpec().getReplicas();
    status.setReadyReplicas(ready);

    List<Condition> conditions = new ArrayList<>();
    Condition address =
        observed
            .address()
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
    conditions.add(address);

    Condition availableCondition;
    if (observed.deployment().isEmpty()) {
      availableCondition =
          condition(
              AVAILABLE,
              false,
              "WaitingForAddress",
              "The server Deployment is created once the public address is known");
    } else if (available >= 1) {
      availableCondition =
          condition(
              AVAILABLE,
              true,
              "MinimumReplicasAvailable",
              ready + " of " + wanted + " server pods ready");
    } else {
      String why =
          observed.problems().isEmpty() ? "" : " (" + observed.problems().get(0).reason() + ")";
      availableCondition =
          condition(
              AVAILABLE,
              false,
              "PodsNotReady",
              ready + " of " + wanted + " server pods ready" + why);
    }
    conditions.add(availableCondition);

    Condition readyCondition;
    if (!observed.problems().isEmpty()) {
      Problem first = observed.problems().get(0);
      String message =
          observed.problems().stream()
              .map(Problem::message)
              .reduce((a, b) -> a + "; " + b)
              .orElse("");
      readyCondition = condition(READY, false, first.reason(), message);
    } else if (!"True".equals(address.getStatus())) {
      readyCondition = condition(READY, false, address.getReason(), address.getMessage());
    } else if (!"True".equals(availableCondition.getStatus())) {
      readyCondition =
          condition(READY, false, availableCondition.getReason(), availableCondition.getMessage());
    } else {
      readyCondition = condition(READY, true, "Ready", "Serving at " + status.getEndpoint());
    }
    conditions.add(readyCondition);

    for (Condition c : conditions) {
      c.setObservedGeneration(generation);
      c.setLastTransitionTime(
          previousCondition(previous, c.getType())
              .filter(
                  p ->
                      Objects.equals(p.getStatus(), c.getStatus())
                          && p.getLastTransitionTime() != null)
              .map(Condition::getLastTransitionTime)
              .orElse(timestamp(observed.now())));
    }
    status.setConditions(conditions);
    List<String> warnings = warnings(ftp);
    status.setWarnings(warnings.isEmpty() ? null : warnings);
    return status;
  }

  /**
   * The status after a failed reconcile: what was known stays, Ready turns False with reason
   * ReconcileFailed; its lastTransitionTime is kept when Ready was already False.
   */
  public static FtpServerStatus failed(FtpServer ftp, String message, Instant now) {
    FtpServerStatus previous = ftp.getStatus() == null ? new FtpServerStatus() : ftp.getStatus();
    Condition ready = condition(READY, false, RECONCILE_FAILED, message);
    ready.setObservedGeneration(ftp.getMetadata().getGeneration());
    ready.setLastTransitionTime(
        previousCondition(previous, READY)
            .filter(p -> "False".equals(p.getStatus()) && p.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(timestamp(now)));
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
    status.setReadyReplicas(previous.getReadyReplicas());
    status.setWarnings(previous.getWarnings());
    status.setConditions(conditions);
    return status;
  }

  static List<String> warnings(FtpServer ftp) {
    List<String> warnings = new ArrayList<>();
    PassivePorts ports = Spec.passivePorts(ftp);
    if (Spec.serviceType(ftp) == ServiceType.LoadBalancer
        && ports.count() + 1 > AWS_NLB_LISTENER_CAP) {
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
    if (Spec.serviceType(ftp) != ServiceType.ClusterIP
        && Spec.trafficPolicy(ftp) == TrafficPolicy.Cluster) {
      warnings.add(
          "externalTrafficPolicy Cluster hides the clients' addresses from the server: per-IP"
              + " limits and the passive-connection IP check then see node addresses");
    }
    return warnings;
  }

  private static String waitingReason(FtpServer ftp) {
    return switch (Spec.serviceType(ftp)) {
      case LoadBalancer -> "WaitingForLoadBalancer";
      case NodePort -> "NoNodeAddress";
      case ClusterIP -> "WaitingForClusterIP";
    };
  }

  private static String waitingMessage(FtpServer ftp) {
    String service = Names.service(ftp);
    return switch (Spec.serviceType(ftp)) {
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

  static Optional<Condition> previousCondition(FtpServerStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Condition condition(String type, boolean status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
