package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.operator.selftest.ProbeTarget;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ContextInitializer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Orchestrates an FtpServer. {@link #initContext} resolves, once, the view every step works from;
 * the workflow applies the settings ConfigMap, the data claim, the Service, the NetworkPolicy when
 * asked for (or when replicas > 1), and the Deployment once the Service's address is known; with
 * replicas > 1 instead of the Deployment: per-pod Services, the relay Secret, a
 * PodDisruptionBudget, and the StatefulSet once the address and the per-pod Services' addresses are
 * known. {@link #reconcile} then writes the status, and Events on transitions.
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
          name = FtpServerReconciler.NETWORK_POLICY,
          type = NetworkPolicyDependent.class,
          reconcilePrecondition = NetworkPolicyDependent.Wanted.class),
      @Dependent(
          name = FtpServerReconciler.SERVER,
          type = ServerDeploymentDependent.class,
          reconcilePrecondition = ServerDeploymentDependent.SingleReplica.class,
          dependsOn = {FtpServerReconciler.SERVICE, FtpServerReconciler.SETTINGS}),
      // replicas > 1 only; each removed again when the FtpServer scales back to one
      @Dependent(
          name = FtpServerReconciler.PEERS,
          type = PeerServicesDependent.class,
          reconcilePrecondition = PeerServicesDependent.Wanted.class,
          readyPostcondition = PeerServicesDependent.PeersKnown.class),
      @Dependent(
          name = FtpServerReconciler.CLUSTER_SECRET,
          type = ClusterSecretDependent.class,
          reconcilePrecondition = ClusterSecretDependent.Wanted.class),
      @Dependent(
          name = FtpServerReconciler.DISRUPTION_BUDGET,
          type = DisruptionBudgetDependent.class,
          reconcilePrecondition = DisruptionBudgetDependent.Wanted.class),
      @Dependent(
          name = FtpServerReconciler.REPLICATED_SERVER,
          type = ServerStatefulSetDependent.class,
          reconcilePrecondition = ServerStatefulSetDependent.Replicated.class,
          dependsOn = {
            FtpServerReconciler.SERVICE,
            FtpServerReconciler.SETTINGS,
            FtpServerReconciler.PEERS,
            FtpServerReconciler.CLUSTER_SECRET
          }),
    })
@ControllerConfiguration(
    name = FtpServerReconciler.NAME,
    fieldManager = Names.FIELD_MANAGER,
    informer =
        @Informer(
            itemStore = StoreWithoutManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 2000,
    intervalMultiplier = 2.0,
    maxInterval = 300_000)
public class FtpServerReconciler implements Reconciler<FtpServer>, ContextInitializer<FtpServer> {

  public static final String NAME = "ftpserver";
  static final String SETTINGS = "settings";
  static final String DATA = "data";
  static final String SERVICE = "service";
  static final String SERVER = "server";
  static final String NETWORK_POLICY = "networkPolicy";
  static final String PEERS = "peers";
  static final String CLUSTER_SECRET = "cluster-secret";
  static final String DISRUPTION_BUDGET = "disruption-budget";
  static final String REPLICATED_SERVER = "replicated-server";

  /**
   * Every informer lists in pages of this many objects: a (re)start with 1,000 FtpServers otherwise
   * reads each kind's objects in one response of several MiB, all at once.
   */
  static final long LIST_PAGE = 250;

  private static final Logger LOG = Logger.getLogger(FtpServerReconciler.class);

  private final OperatorSettings settings;
  private final FtpServerMeters meters;
  private final TransitionEvents events = new TransitionEvents();
  private final SelfTestScheduler selfTest;
  private final SecureRandom random = new SecureRandom();

  /**
   * For Quarkus: the operator's settings from application.properties and the environment, its
   * meters in the registry /q/metrics serves.
   */
  @Inject
  public FtpServerReconciler(FtpOperatorConfig config, MeterRegistry registry) {
    this(OperatorSettings.from(config), registry);
  }

  /** For plain java-operator-sdk (tests). */
  public FtpServerReconciler(OperatorSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.meters = new FtpServerMeters(registry);
    this.selfTest = new SelfTestScheduler(settings.selfTest(), Clock.systemUTC(), meters::probed);
  }

  @Override
  public List<EventSource<?, FtpServer>> prepareEventSources(
      EventSourceContext<FtpServer> context) {
    meters.count(context.getPrimaryCache());
    return List.of(NodeEventSource.create(context), PodEventSource.create(context), selfTest);
  }

  @Override
  public void initContext(FtpServer ftp, Context<FtpServer> context) {
    ResolvedFtpServer view =
        ResolvedFtpServer.resolve(
            ftp,
            settings,
            controlService(ftp, context),
            context.getSecondaryResources(Service.class),
            NodeEventSource.nodes(ftp, context));
    context.managedWorkflowAndDependentResourceContext().put(ResolvedFtpServer.CONTEXT_KEY, view);
  }

  @Override
  public UpdateControl<FtpServer> reconcile(FtpServer ftp, Context<FtpServer> context) {
    ResolvedFtpServer view = ResolvedFtpServer.of(context);
    KubernetesClient client = context.getClient();
    // the workflow has just applied the server's workload, whose pods mount this Secret (not
    // optional): made now, it exists before a scheduled pod's volumes are mounted
    Optional<String> probePassword = ensureProbeSecret(client, view, context);
    if (view.addressArrivedDuringReconcile(
            controlService(ftp, context), NodeEventSource.nodes(ftp, context))
        || view.peersArrivedDuringReconcile(context.getSecondaryResources(Service.class))) {
      return UpdateControl.<FtpServer>noUpdate().rescheduleAfter(Duration.ZERO);
    }
    List<Problem> problems =
        new ArrayList<>(
            SecretCheck.problems(view, name -> readSecret(client, view.namespace(), name)));
    problems.addAll(ClaimCheck.problems(view, name -> readClaim(client, view.namespace(), name)));
    Instant now = Instant.now();
    // the workload of the other kind may linger in the cache for a moment after a scale change
    Optional<Deployment> deployment =
        view.replicated() ? Optional.empty() : context.getSecondaryResource(Deployment.class);
    Optional<StatefulSet> statefulSet =
        view.replicated() ? context.getSecondaryResource(StatefulSet.class) : Optional.empty();
    ResourceID id = ResourceID.fromResource(ftp);
    Optional<ProbeTarget> target =
        SelfTestTargets.of(view, controlService(ftp, context), probePassword);
    if (target.isPresent()) {
      FtpServerStatus previous = ftp.getStatus();
      boolean hadResult = previous != null && previous.getSelfTest() != null;
      selfTest.want(
          id,
          target.get(),
          view.selfTestInterval(),
          SelfTestTargets.serving(deployment, statefulSet),
          hadResult ? previous.getSelfTest().getConsecutiveFailures() : 0,
          hadResult);
    } else {
      selfTest.forget(id);
    }
    FtpServerStatus status =
        StatusComputer.compute(
            view,
            new StatusComputer.Observed(
                deployment,
                statefulSet,
                PodEventSource.pods(view, context),
                problems,
                now,
                selfTest.observation(id)));
    events.announce(ftp, ftp.getStatus(), status, (f, a) -> EventRecorder.record(client, f, a));
    meters.observe(ftp, ftp.getStatus(), status, now);

    UpdateControl<FtpServer> control =
        status.equals(ftp.getStatus())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(ftp, status));
    if (!problems.isEmpty()) {
      control.rescheduleAfter(RecheckBackoff.after(status, now));
    }
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<FtpServer> updateErrorStatus(
      FtpServer ftp, Context<FtpServer> context, Exception e) {
    if (ReconcileFailure.interrupted(e)) {
      // a stopping operator must not leave "Reconcile failed" behind for its successor to undo
      LOG.infof(
          "%s/%s: reconcile interrupted, the operator is stopping",
          ftp.getMetadata().getNamespace(), ftp.getMetadata().getName());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    ReconcileFailure failure = ReconcileFailure.of(e);
    LOG.warnf(
        "%s/%s: %s",
        ftp.getMetadata().getNamespace(), ftp.getMetadata().getName(), failure.message());
    boolean known =
        StatusComputer.condition(ftp.getStatus(), StatusComputer.READY)
            .filter(
                c ->
                    failure.reason().name().equals(c.getReason())
                        && failure.message().equals(c.getMessage()))
            .isPresent();
    ErrorStatusUpdateControl<FtpServer> control;
    if (known) {
      meters.observe(ftp, ftp.getStatus(), ftp.getStatus(), Instant.now());
      control = ErrorStatusUpdateControl.noStatusUpdate();
    } else {
      EventRecorder.record(
          context.getClient(),
          ftp,
          new TransitionEvents.Announcement(true, failure.reason().name(), failure.message()));
      Instant now = Instant.now();
      FtpServerStatus status = StatusComputer.failed(ftp, failure.reason(), failure.message(), now);
      meters.observe(ftp, ftp.getStatus(), status, now);
      control = ErrorStatusUpdateControl.patchStatus(withStatus(ftp, status));
    }
    // a refused change stays refused until the spec changes (a new generation reconciles anyway)
    return failure.retry() ? control : control.withNoRetry();
  }

  /** The FtpServer's own Service (the per-pod Services are in the same informer type). */
  private static Optional<Service> controlService(FtpServer ftp, Context<FtpServer> context) {
    return context
        .getSecondaryResourcesAsStream(Service.class)
        .filter(s -> Names.service(ftp).equals(s.getMetadata().getName()))
        .findFirst();
  }

  private static Optional<PersistentVolumeClaim> readClaim(
      KubernetesClient client, String namespace, String name) {
    try {
      return Optional.ofNullable(
          client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      LOG.debugf(e, "cannot read PersistentVolumeClaim %s/%s", namespace, name);
      return Optional.empty();
    }
  }

  /**
   * The probe Secret's password: read, or created once with a random password when there is none
   * (never updated, so never rotated by accident). Empty when it cannot be read or made now. It
   * carries the operator's labels and owner reference, so the Secret informer (the cluster
   * Secret's) normally has it: a GET only when the cache does not (yet).
   */
  private Optional<String> ensureProbeSecret(
      KubernetesClient client, ResolvedFtpServer view, Context<FtpServer> context) {
    String name = Names.probeSecret(view.ftp());
    Optional<Secret> existing =
        context
            .getSecondaryResourcesAsStream(Secret.class)
            .filter(s -> name.equals(s.getMetadata().getName()))
            .findFirst()
            .or(() -> readSecret(client, view.namespace(), name));
    if (existing.isEmpty()) {
      try {
        existing =
            Optional.of(
                client
                    .secrets()
                    .inNamespace(view.namespace())
                    .resource(ProbeSecret.desired(view, ProbeSecret.newPassword(random)))
                    .create());
      } catch (KubernetesClientException e) {
        // 409: made meanwhile (another reconcile of an older operator); read it next time
        LOG.debugf(e, "cannot create Secret %s/%s", view.namespace(), name);
        existing = readSecret(client, view.namespace(), name);
      }
    }
    return existing.flatMap(ProbeSecret::password);
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

  /** A patch that carries only the status. */
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
}
