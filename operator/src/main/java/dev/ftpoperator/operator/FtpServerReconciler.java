package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Orchestrates an FtpServer. {@link #initContext} resolves, once, the view every step works from;
 * the workflow applies the settings ConfigMap, the data claim and the Service, and the Deployment
 * once the Service's address is known; {@link #reconcile} then writes the status, and Events on
 * transitions.
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
@ControllerConfiguration(
    name = FtpServerReconciler.NAME,
    fieldManager = Names.FIELD_MANAGER,
    informer = @Informer(itemStore = FtpServerStore.class))
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

  private static final Logger LOG = Logger.getLogger(FtpServerReconciler.class);

  private final OperatorSettings settings;
  private final FtpServerMeters meters;
  private final TransitionEvents events = new TransitionEvents();

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
  }

  @Override
  public List<EventSource<?, FtpServer>> prepareEventSources(
      EventSourceContext<FtpServer> context) {
    meters.count(context.getPrimaryCache());
    return List.of(NodeEventSource.create(context));
  }

  @Override
  public void initContext(FtpServer ftp, Context<FtpServer> context) {
    ResolvedFtpServer view =
        ResolvedFtpServer.resolve(
            ftp,
            settings,
            context.getSecondaryResource(Service.class),
            NodeEventSource.nodes(ftp, context));
    context.managedWorkflowAndDependentResourceContext().put(ResolvedFtpServer.CONTEXT_KEY, view);
  }

  @Override
  public UpdateControl<FtpServer> reconcile(FtpServer ftp, Context<FtpServer> context) {
    ResolvedFtpServer view = ResolvedFtpServer.of(context);
    if (view.addressArrivedDuringReconcile(
        context.getSecondaryResource(Service.class), NodeEventSource.nodes(ftp, context))) {
      return UpdateControl.<FtpServer>noUpdate().rescheduleAfter(Duration.ZERO);
    }
    KubernetesClient client = context.getClient();
    List<Problem> problems =
        SecretCheck.problems(view, name -> readSecret(client, view.namespace(), name));
    Instant now = Instant.now();
    FtpServerStatus status =
        StatusComputer.compute(
            view,
            new StatusComputer.Observed(
                context.getSecondaryResource(Deployment.class), problems, now));
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
