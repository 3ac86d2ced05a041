package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Writes Kubernetes Events (core/v1) about an FtpServer, seen with {@code kubectl describe ftp}.
 * Only on transitions and errors, never on a quiet reconcile. A failure to record is logged, not
 * thrown: events are best effort.
 */
public final class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  static final String COMPONENT = "ftp-operator";

  private EventRecorder() {}

  /** Records an Event; a failure is logged at debug level, never thrown. */
  static void record(
      KubernetesClient client, FtpServer ftp, TransitionEvents.Announcement announcement) {
    record(
        client,
        ftp,
        announcement.warning() ? "Warning" : "Normal",
        announcement.reason(),
        announcement.message());
  }

  static Event build(FtpServer ftp, String type, String reason, String message, Instant now) {
    String time = StatusComputer.timestamp(now);
    String suffix =
        Long.toHexString(now.toEpochMilli())
            + Integer.toHexString((reason + message).hashCode() & 0xffff);
    return new EventBuilder()
        .withNewMetadata()
        .withName(ftp.getMetadata().getName() + "." + suffix.toLowerCase(Locale.ROOT))
        .withNamespace(ftp.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(ftp.getApiVersion())
        .withKind(ftp.getKind())
        .withName(ftp.getMetadata().getName())
        .withNamespace(ftp.getMetadata().getNamespace())
        .withUid(ftp.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", COMPONENT))
        .build();
  }

  private static void record(
      KubernetesClient client, FtpServer ftp, String type, String reason, String message) {
    try {
      client
          .v1()
          .events()
          .inNamespace(ftp.getMetadata().getNamespace())
          .resource(build(ftp, type, reason, message, Instant.now()))
          .create();
    } catch (RuntimeException e) {
      LOG.debugf(e, "could not record event %s for %s", reason, ftp.getMetadata().getName());
    }
  }
}
