package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which condition transitions become Kubernetes Events, and remembers what it announced so
 * that a reconcile which still sees the status from before its predecessor's patch (informer cache
 * lag) does not repeat one.
 */
final class TransitionEvents {

  /** An Event to record. */
  record Announcement(boolean warning, String reason, String message) {}

  /** What an Event goes to; the reconciler passes {@link EventRecorder}. */
  interface Sink {
    void record(FtpServer ftp, Announcement announcement);
  }

  /**
   * Deleted FtpServers send no signal here, so the oldest entries make way once this many are
   * remembered (at worst an Event repeats).
   */
  static final int MEMORY_LIMIT = 30_000;

  /** The last status+reason announced per FtpServer uid and condition type. */
  private final Map<String, String> announced =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > MEMORY_LIMIT;
            }
          });

  int remembered() {
    return announced.size();
  }

  /**
   * One Event per condition whose status or reason changed between {@code before} and {@code
   * after}.
   */
  void announce(FtpServer ftp, FtpServerStatus before, FtpServerStatus after, Sink sink) {
    for (Condition now : after.getConditions()) {
      Optional<Condition> was = StatusComputer.condition(before, now.getType());
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
      boolean up = "True".equals(now.getStatus());
      if (!up && StatusComputer.READY.equals(now.getType()) && repeatsAnother(after, now)) {
        continue; // Ready=False only repeats another condition's news
      }
      // True: the condition's name (AddressAssigned, Available, Ready); False: why
      String reason = up ? now.getType() : now.getReason();
      String message = now.getType() + "=" + now.getStatus() + ": " + now.getMessage();
      boolean warning = !up && Reason.parse(now.getReason()).map(Reason::isWarning).orElse(true);
      sink.record(ftp, new Announcement(warning, reason, message));
    }
  }

  private static boolean repeatsAnother(FtpServerStatus status, Condition ready) {
    return status.getConditions().stream()
        .anyMatch(
            c ->
                !StatusComputer.READY.equals(c.getType())
                    && Objects.equals(c.getReason(), ready.getReason()));
  }
}
