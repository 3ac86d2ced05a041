package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Orchestrates an FtpServer: the workflow applies the settings ConfigMap, the data claim and the
 * Service; the Deployment waits for the Service's public address. This class only reads what is
 * there and writes the status (and Events on transitions).
 */
@Workflow(
    dependents = {
      @Dependent(name = FtpServerReconciler.SETTINGS, type = SettingsConfigMapDependent.class),
      @Dependent(
          name = FtpServerReconciler.DATA,
          type = DataClaimDependent.class,
          reconcilePrecondition = DataClaimDependent.Wanted.class),
      @Dependent(
          name = FtpServerReconciler.SERVICE,
          type = ControlServiceDependent.class,
          readyPostcondition = ControlServiceDependent.AddressKnown.class),
      @Dependent(
          name = FtpServerReconciler.SERVER,
          type = ServerDeploymentDependent.class,
          dependsOn = {FtpServerReconciler.SERVICE, FtpServerReconciler.SETTINGS}),
    })
@ControllerConfiguration(name = FtpServerReconciler.NAME, fieldManager = Names.FIELD_MANAGER)
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 2000,
    intervalMultiplier = 2.0,
    maxInterval = 300_000)
public class FtpServerReconciler implements Reconciler<FtpServer> {

  public static final String NAME = "ftpserver";
  static final String SETTINGS = "settings";
  static final String DATA = "data";
  static final String SERVICE = "service";
  static final String SERVER = "server";

  static final Duration MIN_RECHECK = Duration.ofSeconds(5);
  static final Duration MAX_RECHECK = Duration.ofMinutes(5);

  private static final Logger LOG = Logger.getLogger(FtpServerReconciler.class);

  /**
   * Reconciles run in this JVM (lets tests prove that a quiet reconcile happened and wrote
   * nothing).
   */
  private static final java.util.concurrent.atomic.AtomicLong RECONCILES =
      new java.util.concurrent.atomic.AtomicLong();

  static long reconciles() {
    return RECONCILES.get();
  }

  /** For Quarkus: the operator's settings from application.properties and the environment. */
  @Inject
  public FtpServerReconciler(FtpOperatorConfig config) {
    this(OperatorSettings.from(config));
  }

  /** For plain java-operator-sdk (tests). */
  public FtpServerReconciler(OperatorSettings settings) {
    OperatorSettings.use(settings);
  }

  @Override
  public List<EventSource<?, FtpServer>> prepareEventSources(
      EventSourceContext<FtpServer> context) {
    // Nodes give the address in NodePort mode; a change of a node's addresses or readiness
    // re-reconciles the NodePort FtpServers.
    InformerEventSourceConfiguration<Node> nodes =
        InformerEventSourceConfiguration.from(Node.class, FtpServer.class)
            .withName(ClusterView.NODES)
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(
                node ->
                    context
                        .getPrimaryCache()
                        .list(ftp -> Spec.serviceType(ftp) == ServiceType.NodePort)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withOnUpdateFilter(
                (newNode, oldNode) ->
                    !Objects.equals(
                            newNode.getStatus() == null ? null : newNode.getStatus().getAddresses(),
                            oldNode.getStatus() == null ? null : oldNode.getStatus().getAddresses())
                        || PublicAddressResolver.isReady(newNode)
                            != PublicAddressResolver.isReady(oldNode)
                        || !Objects.equals(
                            newNode.getMetadata().getLabels(), oldNode.getMetadata().getLabels()))
            .build();
    return List.of(new InformerEventSource<>(nodes, context));
  }

  @Override
  public UpdateControl<FtpServer> reconcile(FtpServer ftp, Context<FtpServer> context) {
    RECONCILES.incrementAndGet();
    KubernetesClient client = context.getClient();
    String namespace = ftp.getMetadata().getNamespace();
    List<Problem> problems = SecretCheck.problems(ftp, name -> readSecret(client, namespace, name));
    StatusComputer.Observed observed =
        new StatusComputer.Observed(
            ClusterView.address(ftp, context),
            context.getSecondaryResource(Deployment.class),
            problems,
            Instant.now());
    FtpServerStatus status = StatusComputer.compute(ftp, observed);
    recordTransitions(client, ftp, ftp.getStatus(), status);

    UpdateControl<FtpServer> control =
        status.equals(ftp.getStatus())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(ftp, status));
    if (!problems.isEmpty()) {
      // Secrets are not watched (the operator may only GET them): look again, backing off.
      control.rescheduleAfter(recheckDelay(status, observed.now()));
    }
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<FtpServer> updateErrorStatus(
      FtpServer ftp, Context<FtpServer> context, Exception e) {
    String message = "Reconcile failed, retrying with back-off: " + rootMessage(e);
    LOG.warnf("%s/%s: %s", ftp.getMetadata().getNamespace(), ftp.getMetadata().getName(), message);
    Condition previous =
        StatusComputer.previousCondition(ftp.getStatus(), StatusComputer.READY).orElse(null);
    boolean changed =
        previous == null
            || !StatusComputer.RECONCILE_FAILED.equals(previous.getReason())
            || !message.equals(previous.getMessage());
    if (!changed) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    EventRecorder.warning(context.getClient(), ftp, StatusComputer.RECONCILE_FAILED, message);
    FtpServerStatus status = StatusComputer.failed(ftp, message, Instant.now());
    return ErrorStatusUpdateControl.patchStatus(withStatus(ftp, status));
  }

  private static Optional<Secret> readSecret(
      KubernetesClient client, String namespace, String name) {
    try {
      return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      LOG.debugf(e, "cannot read Secret %s/%s", namespace, name);
      return Optional.empty();
    }
  }

  /** Half the time the problem has lasted, between 5 s and 5 min: a back-off without state. */
  static Duration recheckDelay(FtpServerStatus status, Instant now) {
    Duration lasted =
        StatusComputer.previousCondition(status, StatusComputer.READY)
            .map(Condition::getLastTransitionTime)
            .map(t -> Duration.between(Instant.parse(t), now))
            .orElse(Duration.ZERO);
    Duration half = lasted.dividedBy(2);
    if (half.compareTo(MIN_RECHECK) < 0) {
      return MIN_RECHECK;
    }
    return half.compareTo(MAX_RECHECK) > 0 ? MAX_RECHECK : half;
  }

  /**
   * The last status+reason announced per FtpServer uid and condition type: a reconcile that still
   * sees the status from before its predecessor's patch (informer cache lag) does not repeat an
   * Event. Deleted FtpServers send no signal here, so the oldest entries make way (at worst an
   * Event repeats).
   */
  private final Map<String, String> announced =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > ANNOUNCED_LIMIT;
            }
          });

  static final int ANNOUNCED_LIMIT = 30_000;

  /** Events when a condition changes status or reason. */
  void recordTransitions(
      KubernetesClient client, FtpServer ftp, FtpServerStatus before, FtpServerStatus after) {
    for (Condition now : after.getConditions()) {
      Optional<Condition> was = StatusComputer.previousCondition(before, now.getType());
      boolean same =
          was.filter(
                  w ->
                      Objects.equals(w.getStatus(), now.getStatus())
                          && Objects.equals(w.getReason(), now.getReason()))
              .isPresent();
      String key = ftp.getMetadata().getUid() + "/" + now.getType();
      String state = now.getStatus() + "/" + now.getReason();
      String previous = announced.put(key, state);
      if (same || state.equals(previous)) {
        continue;
      }
      // True: the condition's name (AddressAssigned, Available, Ready); False: why
      // (WaitingForLoadBalancer, ...)
      boolean up = "True".equals(now.getStatus());
      if (!up && READY_TYPE.equals(now.getType()) && sameReasonElsewhere(after, now)) {
        continue; // Ready=False only repeats another condition's news
      }
      String reason = up ? now.getType() : now.getReason();
      String message = now.getType() + "=" + now.getStatus() + ": " + now.getMessage();
      if (up || !isProblem(now.getReason())) {
        EventRecorder.normal(client, ftp, reason, message);
      } else {
        EventRecorder.warning(client, ftp, reason, message);
      }
    }
  }

  private static final String READY_TYPE = StatusComputer.READY;

  private static boolean sameReasonElsewhere(FtpServerStatus status, Condition ready) {
    return status.getConditions().stream()
        .anyMatch(
            c ->
                !READY_TYPE.equals(c.getType())
                    && Objects.equals(c.getReason(), ready.getReason()));
  }

  private static boolean isProblem(String reason) {
    return Set.of(
            "UsersSecretNotFound",
            "TlsSecretNotFound",
            "TlsSecretInvalid",
            StatusComputer.RECONCILE_FAILED,
            "NoNodeAddress")
        .contains(reason);
  }

  static FtpServer withStatus(FtpServer ftp, FtpServerStatus status) {
    FtpServer patch = new FtpServer();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(ftp.getMetadata().getName())
            .withNamespace(ftp.getMetadata().getNamespace())
            .build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.length() > 500 ? m.substring(0, 500) + "..." : m;
  }
}
