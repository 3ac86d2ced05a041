package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerStatus;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import dev.ftpoperator.operator.PublicAddressResolver.Source;
import dev.ftpoperator.operator.StatusComputer.Observed;
import dev.ftpoperator.operator.TransitionEvents.Announcement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransitionEventsTest {

  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");
  static final PublicAddress LB =
      new PublicAddress("203.0.113.7", Source.LOAD_BALANCER_IP, 21, null, true);

  final TransitionEvents events = new TransitionEvents();
  final List<Announcement> recorded = new ArrayList<>();

  void announce(FtpServer ftp, FtpServerStatus before, FtpServerStatus after) {
    events.announce(ftp, before, after, (f, a) -> recorded.add(a));
  }

  static FtpServerStatus waiting(FtpServer ftp) {
    return StatusComputer.compute(
        FtpServers.view(ftp), new Observed(Optional.empty(), List.of(), T0));
  }

  static FtpServerStatus missingSecret(FtpServer ftp) {
    return StatusComputer.compute(
        FtpServers.view(ftp, LB),
        new Observed(
            Optional.empty(), List.of(new Problem(Reason.UsersSecretNotFound, "gone")), T0));
  }

  @Test
  void aNewConditionIsAnnouncedOnceEvenWhenTheCacheStillShowsTheOldStatus() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus status = waiting(ftp);
    announce(ftp, null, status);
    // the next reconcile reads the status from before the patch (cache lag): no repeat
    announce(ftp, null, status);
    assertThat(recorded)
        .extracting(Announcement::reason)
        .containsExactly("WaitingForLoadBalancer", "WaitingForAddress", "SelfTestPending");
    assertThat(recorded).noneMatch(Announcement::warning);
  }

  @Test
  void readyFalseThatOnlyRepeatsAnotherConditionIsNotAnnouncedTwice() {
    FtpServer ftp = FtpServers.partners();
    announce(ftp, null, waiting(ftp));
    assertThat(recorded).extracting(Announcement::message).noneMatch(m -> m.startsWith("Ready="));
  }

  @Test
  void problemsAreWarningsAndRecoveryIsNormal() {
    FtpServer ftp = FtpServers.partners();
    FtpServerStatus broken = missingSecret(ftp);
    announce(ftp, null, broken);
    assertThat(recorded)
        .filteredOn(a -> a.reason().equals("UsersSecretNotFound"))
        .singleElement()
        .satisfies(a -> assertThat(a.warning()).isTrue());
    recorded.clear();
    FtpServerStatus up =
        StatusComputer.compute(
            FtpServers.view(ftp, LB), new Observed(Optional.empty(), List.of(), T0));
    announce(ftp, broken, up);
    assertThat(recorded).noneMatch(Announcement::warning);
  }

  @Test
  void itsMemoryIsBounded() {
    for (int i = 0; i < TransitionEvents.MEMORY_LIMIT + 100; i++) {
      FtpServer ftp = FtpServers.partners();
      ftp.getMetadata().setUid("uid-" + i);
      announce(ftp, null, waiting(ftp));
    }
    assertThat(events.remembered()).isEqualTo(TransitionEvents.MEMORY_LIMIT);
  }
}
