package dev.ftpoperator.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OpenFileBudgetTest {

  private static final Map<String, String> REPLICA =
      Map.of(
          "FTP_CLUSTER_REPLICAS", "2",
          "FTP_POD_NAME", "partners-0",
          "FTP_CLUSTER_PEERS", "0=10.0.0.1,1=10.0.0.2");

  @Test
  void theDefaultsFitAFewThousandFilesAndKeepTheirSessionLimit() {
    ServerSettings defaults = ServerSettings.from(Map.of());

    // 30 open, 64 reserve, 3 I/O threads of 2, 10 passive ports, then 500 sessions of 7
    assertThat(OpenFileBudget.sessionLimit(defaults, 30 + 64 + 6 + 10 + 500 * 7, 30, 3))
        .isEqualTo(500);
  }

  @Test
  void aSessionLimitOverWhatTheOpenFileLimitHoldsIsLoweredToWhatItHolds() {
    ServerSettings many = ServerSettings.from(Map.of("FTP_MAX_SESSIONS", "3000"));

    assertThat(OpenFileBudget.sessionLimit(many, 20000, 30, 3)).isEqualTo((20000 - 110) / 7);
    assertThat(OpenFileBudget.sessionLimit(many, 30 + 64 + 6 + 10 + 500 * 7 - 1, 30, 3))
        .isEqualTo(499);
  }

  @Test
  void aReplicaAlsoCountsTheDataConnectionsItRelaysForTheOthers() {
    ServerSettings replica = ServerSettings.from(REPLICA);

    assertThat(OpenFileBudget.sessionLimit(replica, 4096, 30, 3)).isEqualTo((4096 - 110) / 13);
  }

  @Test
  void aPassiveRangeThatLeavesNoRoomForASessionIsRefusedWithTheFiguresAndTheSettingToChange() {
    ServerSettings wide = ServerSettings.from(Map.of("FTP_PASSIVE_PORTS", "2000-61999"));

    assertThatThrownBy(() -> OpenFileBudget.sessionLimit(wide, 20000, 30, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FTP_PASSIVE_PORTS (60000 ports, a listener each)")
        .hasMessageContaining("need 60100 open files, and a session up to 7 more")
        .hasMessageContaining("but this process may open 20000 (ulimit -n)");
    assertThatThrownBy(() -> OpenFileBudget.sessionLimit(wide, 60106, 30, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OpenFileBudget.sessionLimit(wide, 60107, 30, 3)).isEqualTo(1);
  }

  @Test
  void theLimitIsTheSoftOneOfProcLimitsAndUnlimitedMeansNoCheck() {
    String header =
        "Limit                     Soft Limit           Hard Limit           Units     ";
    assertThat(
            OpenFileBudget.openFileLimit(
                List.of(
                    header,
                    "Max processes             95000                95000                processes ",
                    "Max open files            4096                 524288               files     ")))
        .hasValue(4096);
    assertThat(
            OpenFileBudget.openFileLimit(
                List.of(
                    header,
                    "Max open files            unlimited            unlimited            files     ")))
        .isEqualTo(OptionalLong.empty());
    assertThat(OpenFileBudget.openFileLimit(List.of(header))).isEqualTo(OptionalLong.empty());
  }
}
