package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.PodSelfTestStatus;
import dev.ftpoperator.api.v1alpha1.ReplicaStatus;
import dev.ftpoperator.api.v1alpha1.SelfTestStatus;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import dev.ftpoperator.operator.selftest.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  public static final String TRANSFER_VERIFIED = "TransferVerified";

  /** Listeners an AWS Network Load Balancer accepts: port 21 plus 49 passive ports. */
  public static final int AWS_NLB_LISTENER_CAP = 50;

  private StatusComputer() {}

  /**
   * What the reconciler saw besides the resolved view: the workload (the Deployment of one replica
   * or the StatefulSet of several), the replicated server's pods, problems with other objects, and
   * the self-test's latest result.
   */
  public record Observed(
      Optional<Deployment> deployment,
      Optional<StatefulSet> statefulSet,
      List<Pod> pods,
      List<Problem> problems,
      Instant now,
      SelfTestScheduler.Observation selfTest) {

    /** A one-replica FtpServer's observation, nothing from the self-test (yet). */
    public Observed(Optional<Deployment> deployment, List<Problem> problems, Instant now) {
      this(deployment, problems, now, SelfTestScheduler.Observation.NONE);
    }

    /** A one-replica FtpServer's observation. */
    public Observed(
        Optional<Deployment> deployment,
        List<Problem> problems,
        Instant now,
        SelfTestScheduler.Observation selfTest) {
      this(deployment, Optional.empty(), List.of(), problems, now, selfTest);
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

    SelfTestView selfTest = SelfTestView.of(ftp, observed.selfTest());
    Condition verified = verified(ftp, selfTest, isTrue(address) && isTrue(availability));
    status.setSelfTest(selfTest.status());
    int allowed = ftp.settings().selfTest().failuresBeforeNotReady();

    Condition readiness;
    if (!observed.problems().isEmpty()) {
      String message =
          observed.problems().stream().map(Problem::message).collect(Collectors.joining("; "));
      readiness = condition(READY, false, observed.problems().get(0).reason(), message);
    } else if (!isTrue(address)) {
      readiness = sameAs(READY, address);
    } else if (!isTrue(availability)) {
      readiness = sameAs(READY, availability);
    } else if (!selfTestCounts(verified)) {
      readiness = condition(READY, true, Reason.Ready, "Serving at " + status.getEndpoint());
    } else if (selfTest.lastSuccess().isEmpty()) {
      readiness =
          new ConditionBuilder(sameAs(READY, verified))
              .withMessage("Waiting for the first verified transfer: " + verified.getMessage())
              .build();
    } else if (selfTest.failures() >= allowed) {
      readiness = sameAs(READY, verified);
    } else if (selfTest.failures() > 0) {
      readiness =
          condition(
              READY,
              true,
              Reason.Ready,
              "Serving at "
                  + status.getEndpoint()
                  + "; the last "
                  + selfTest.failures()
                  + " probe(s) failed (Ready turns False after "
                  + allowed
                  + "): "
                  + verified.getMessage());
    } else {
      readiness = condition(READY, true, Reason.Ready, "Serving at " + status.getEndpoint());
    }

    List<Condition> conditions = List.of(address, availability, verified, readiness);
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
    status.setSelfTest(previous.getSelfTest());
    status.setConditions(conditions);
    return status;
  }

  /**
   * The self-test as the status shows it: what the scheduler holds, else (an operator restart) what
   * the previous status said. Only a change of verdict writes the status at once: a new success
   * time and round trip are shown once the one shown is {@link #SUCCESS_REFRESH} old, and failures
   * are counted up to the number that turns Ready False, so a healthy or a steadily failing
   * FtpServer costs one status write per {@link #SUCCESS_REFRESH} at most, not one per probe. The
   * same holds per pod: a pod's entry changes when it first answers or its verdict changes, and its
   * success time only together with the FtpServer's.
   */
  record SelfTestView(
      Optional<ProbeResult> latest,
      Optional<String> lastSuccess,
      Optional<Long> roundTrip,
      int failures,
      boolean enabled,
      List<PodSelfTestStatus> pods) {

    static final Duration SUCCESS_REFRESH = Duration.ofMinutes(10);

    static SelfTestView of(ResolvedFtpServer ftp, SelfTestScheduler.Observation observed) {
      Optional<SelfTestStatus> previous =
          Optional.ofNullable(ftp.ftp().getStatus()).map(FtpServerStatus::getSelfTest);
      Optional<String> shownSuccess = previous.map(SelfTestStatus::getLastSuccessTime);
      Optional<ProbeResult> newSuccess =
          observed
              .lastSuccess()
              .filter(
                  r ->
                      shownSuccess.isEmpty()
                          || !r.at()
                              .isBefore(Instant.parse(shownSuccess.get()).plus(SUCCESS_REFRESH)));
      Optional<String> lastSuccess = newSuccess.map(r -> timestamp(r.at())).or(() -> shownSuccess);
      Optional<Long> roundTrip =
          newSuccess
              .map(ProbeResult::roundTripMillis)
              .or(() -> previous.map(SelfTestStatus::getRoundTripMillis));
      int failures =
          Math.min(
              observed.latest().isPresent()
                  ? observed.consecutiveFailures()
                  : previous.map(SelfTestStatus::getConsecutiveFailures).orElse(0),
              ftp.settings().selfTest().failuresBeforeNotReady());
      return new SelfTestView(
          observed.latest(),
          lastSuccess,
          roundTrip,
          failures,
          ftp.selfTestEnabled(),
          pods(ftp, observed, previous, newSuccess.isPresent()));
    }

    /**
     * Every current replica that has answered a probe (now or, after an operator restart, as the
     * previous status says); success times move on only when {@code refresh}, or when none was
     * shown.
     */
    static List<PodSelfTestStatus> pods(
        ResolvedFtpServer ftp,
        SelfTestScheduler.Observation observed,
        Optional<SelfTestStatus> previous,
        boolean refresh) {
      if (!ftp.replicated()) {
        return List.of();
      }
      Map<String, PodSelfTestStatus> shown = new HashMap<>();
      previous
          .map(SelfTestStatus::getPods)
          .ifPresent(list -> list.forEach(p -> shown.put(p.getName(), p)));
      List<PodSelfTestStatus> pods = new ArrayList<>();
      for (PassiveSlice slice : ftp.slices()) {
        String name = Names.pod(ftp.ftp(), slice.ordinal());
        SelfTestScheduler.PodObservation seen = observed.pods().get(name);
        PodSelfTestStatus before = shown.get(name);
        if (seen == null) {
          if (before != null) {
            pods.add(before);
          }
          continue;
        }
        Optional<String> shownTime =
            Optional.ofNullable(before).map(PodSelfTestStatus::getLastSuccessTime);
        Optional<String> time =
            seen.lastSuccess()
                .filter(r -> refresh || shownTime.isEmpty())
                .map(r -> timestamp(r.at()))
                .or(() -> shownTime);
        String verdict =
            seen.latest()
                .failure()
                .map(f -> reasonOf(f).name())
                .orElse(Reason.TransferVerified.name());
        pods.add(new PodSelfTestStatus(name, verdict, time.orElse(null)));
      }
      return pods;
    }

    SelfTestStatus status() {
      if (!enabled || (lastSuccess.isEmpty() && latest.isEmpty() && failures == 0)) {
        return null;
      }
      SelfTestStatus s = new SelfTestStatus();
      s.setLastSuccessTime(lastSuccess.orElse(null));
      s.setRoundTripMillis(roundTrip.orElse(null));
      s.setConsecutiveFailures(failures);
      s.setPods(pods.isEmpty() ? null : pods);
      return s;
    }
  }

  /** Whether the self-test's verdict decides Ready (not when off or unable to tell). */
  private static boolean selfTestCounts(Condition verified) {
    return !Reason.SelfTestDisabled.name().equals(verified.getReason())
        && !Reason.UnreachableFromCluster.name().equals(verified.getReason());
  }

  private static Condition verified(ResolvedFtpServer ftp, SelfTestView selfTest, boolean serving) {
    if (!ftp.selfTestEnabled()) {
      return condition(
          TRANSFER_VERIFIED,
          "Unknown",
          Reason.SelfTestDisabled,
          "spec.selfTest.enabled is false: Ready means an address is known and a pod is ready,"
              + " not that a client can transfer");
    }
    if (selfTest.latest().isPresent()) {
      Condition c = fromResult(selfTest.latest().get());
      boolean unreached =
          Reason.UnreachableFromCluster.name().equals(c.getReason())
              || Reason.ConnectFailed.name().equals(c.getReason());
      boolean userSet =
          ftp.address()
              .filter(a -> a.source() == PublicAddressResolver.Source.PASSIVE_ADDRESS)
              .isPresent();
      if (unreached && userSet) {
        // the endpoint is the user's own address: it may simply be wrong
        c.setMessage(
            c.getMessage()
                + "; the endpoint's address is spec.passiveAddress "
                + ftp.spec().getPassiveAddress()
                + ": check that clients reach the server there");
      }
      return c;
    }
    Optional<Condition> previous =
        condition(ftp.ftp().getStatus(), TRANSFER_VERIFIED)
            .filter(
                c ->
                    Reason.parse(c.getReason()).filter(StatusComputer::isProbeVerdict).isPresent());
    if (previous.isPresent()) {
      return new ConditionBuilder()
          .withType(TRANSFER_VERIFIED)
          .withStatus(previous.get().getStatus())
          .withReason(previous.get().getReason())
          .withMessage(previous.get().getMessage())
          .build();
    }
    return condition(
        TRANSFER_VERIFIED,
        false,
        Reason.SelfTestPending,
        serving
            ? "The first probe of "
                + ftp.address().map(a -> a.endpoint(ftp.implicitTls())).orElse("the endpoint")
                + " is scheduled"
            : "The self-test starts once the address is known and a server pod is ready");
  }

  private static boolean isProbeVerdict(Reason reason) {
    return reason != Reason.SelfTestPending && reason != Reason.SelfTestDisabled;
  }

  static Condition fromResult(ProbeResult result) {
    String notes =
        result.notes().isEmpty() ? "" : " (note: " + String.join("; ", result.notes()) + ")";
    if (result.ok()) {
      return condition(TRANSFER_VERIFIED, true, Reason.TransferVerified, result.message() + notes);
    }
    Reason reason = reasonOf(result.failure().orElseThrow());
    return condition(
        TRANSFER_VERIFIED,
        reason == Reason.UnreachableFromCluster ? "Unknown" : "False",
        reason,
        result.message() + notes);
  }

  static Reason reasonOf(ProbeResult.Failure failure) {
    return switch (failure) {
      case CONNECT -> Reason.ConnectFailed;
      case UNREACHABLE_FROM_CLUSTER -> Reason.UnreachableFromCluster;
      case BANNER -> Reason.BannerFailed;
      case TLS -> Reason.TlsFailed;
      case LOGIN -> Reason.LoginFailed;
      case PASSIVE_REFUSED -> Reason.PassiveRefused;
      case PASSIVE_ADDRESS -> Reason.PassiveAddressWrong;
      case PASSIVE_PORT -> Reason.PassivePortOutsideRange;
      case DATA_PORT -> Reason.DataPortUnreachable;
      case LISTING -> Reason.ListingFailed;
    };
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
    return condition(type, status ? "True" : "False", reason, message);
  }

  private static Condition condition(String type, String status, Reason reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason.name())
        .withMessage(message)
        .build();
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
