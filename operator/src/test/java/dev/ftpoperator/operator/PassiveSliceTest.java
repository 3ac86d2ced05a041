package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.PassivePorts;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PassiveSliceTest {

  /**
   * Worked examples of the contract formula (RELAY-CONTRACT.md: slice k = [min + floor(k*P/N), min
   * + floor((k+1)*P/N) - 1]); ServerContractTest checks the server's SliceMap against this class.
   */
  @ParameterizedTest(name = "{0}-{1} over {2}: {3}")
  @CsvSource(
      delimiter = ';',
      value = {
        "30000;30009;2;30000-30004 30005-30009",
        "30000;30009;3;30000-30002 30003-30005 30006-30009",
        "30000;30019;3;30000-30005 30006-30012 30013-30019",
        "30000;30005;3;30000-30001 30002-30003 30004-30005",
        "40000;40099;8;40000-40011 40012-40024 40025-40036 40037-40049 40050-40061 40062-40074"
            + " 40075-40086 40087-40099",
        "30000;30015;8;30000-30001 30002-30003 30004-30005 30006-30007 30008-30009 30010-30011"
            + " 30012-30013 30014-30015",
        "30000;30009;1;30000-30009"
      })
  void slicesFollowTheContractFormula(int min, int max, int replicas, String expected) {
    List<PassiveSlice> slices = PassiveSlice.of(new PassivePorts(min, max), replicas);
    assertThat(slices.stream().map(PassiveSlice::toString).collect(Collectors.joining(" ")))
        .isEqualTo(expected);
    assertThat(slices).extracting(PassiveSlice::ordinal).containsExactlyElementsOf(range(replicas));
  }

  @ParameterizedTest(name = "{0} ports over {1} replicas")
  @CsvSource({"2,1", "4,2", "6,3", "7,3", "16,8", "17,8", "1000,8", "999,7", "20,3", "10,4"})
  void slicesAreDisjointCoverTheRangeAndDifferByAtMostOnePort(int ports, int replicas) {
    PassivePorts range = new PassivePorts(30000, 30000 + ports - 1);
    List<PassiveSlice> slices = PassiveSlice.of(range, replicas);
    assertThat(slices).hasSize(replicas);
    assertThat(slices.get(0).min()).isEqualTo(range.getMin());
    assertThat(slices.get(replicas - 1).max()).isEqualTo(range.getMax());
    for (int k = 1; k < replicas; k++) {
      assertThat(slices.get(k).min()).isEqualTo(slices.get(k - 1).max() + 1);
    }
    int smallest = slices.stream().mapToInt(PassiveSlice::count).min().orElseThrow();
    int largest = slices.stream().mapToInt(PassiveSlice::count).max().orElseThrow();
    assertThat(largest - smallest).isLessThanOrEqualTo(1);
    // what admission guarantees (2 ports per replica) leaves every slice at least 2 ports
    assertThat(smallest).isGreaterThanOrEqualTo(2);
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }
}
