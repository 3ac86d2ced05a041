package dev.ftpoperator.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ftpoperator.server.config.PassivePortRange;
import org.junit.jupiter.api.Test;

class SliceMapTest {

  @Test
  void slicesFollowTheContractFormula() {
    SliceMap map = new SliceMap(new PassivePortRange(30000, 30009), 3);
    // P=10, N=3: floor(k*10/3) = 0, 3, 6, 10
    assertThat(map.slice(0)).isEqualTo(new PassivePortRange(30000, 30002));
    assertThat(map.slice(1)).isEqualTo(new PassivePortRange(30003, 30005));
    assertThat(map.slice(2)).isEqualTo(new PassivePortRange(30006, 30009));
  }

  @Test
  void everyPortHasExactlyTheOwnerWhoseSliceHoldsIt() {
    for (int size = 2; size <= 70; size++) {
      for (int replicas = 1; replicas <= Math.min(size, 9); replicas++) {
        PassivePortRange range = new PassivePortRange(40000, 40000 + size - 1);
        SliceMap map = new SliceMap(range, replicas);
        int covered = 0;
        for (int k = 0; k < replicas; k++) {
          PassivePortRange slice = map.slice(k);
          covered += slice.size();
          for (int port = slice.min(); port <= slice.max(); port++) {
            assertThat(map.owner(port)).as("P=%d N=%d port %d", size, replicas, port).isEqualTo(k);
          }
        }
        assertThat(covered).isEqualTo(size);
      }
    }
  }

  @Test
  void slicesDifferInSizeByAtMostOne() {
    SliceMap map = new SliceMap(new PassivePortRange(30000, 30048), 8);
    for (int k = 0; k < 8; k++) {
      assertThat(map.slice(k).size()).isBetween(6, 7);
    }
  }

  @Test
  void portsOutsideTheRangeHaveNoOwner() {
    SliceMap map = new SliceMap(new PassivePortRange(30000, 30009), 2);
    assertThatThrownBy(() -> map.owner(30010)).hasMessageContaining("outside");
    assertThatThrownBy(() -> map.slice(2)).hasMessageContaining("no slice 2");
  }
}
