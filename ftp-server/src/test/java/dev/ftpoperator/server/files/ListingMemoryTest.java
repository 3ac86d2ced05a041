package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The listing memory hands out what it has, refuses the rest, and takes each share back once. */
class ListingMemoryTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void sharesGrowWhileTheMemoryIsFreeAndAreTakenBackOnce() throws Exception {
    ListingMemory memory = new ListingMemory(10 * MIB);
    ListingMemory.Reservation first = memory.reservation();
    ListingMemory.Reservation second = memory.reservation();

    first.coverOrRefuse(3 * MIB);
    first.coverOrRefuse(6 * MIB);
    assertThat(first.bytes()).isBetween(6 * MIB, 6 * MIB + 256 * 1024);
    assertThat(second.cover(5 * MIB)).isFalse();
    assertThat(second.bytes()).isZero();
    assertThatThrownBy(() -> second.coverOrRefuse(5 * MIB))
        .isInstanceOf(ListingTooLargeException.class)
        .hasMessageStartingWith("This listing needs more than the 3 MiB free of the 10 MiB");
    // without the margin a share takes to grow seldom, the rest still fits
    assertThat(second.cover(10 * MIB - first.bytes())).isTrue();
    assertThat(memory.available()).isZero();

    first.release();
    first.release();
    assertThat(memory.reservedBytes()).isEqualTo(second.bytes());
    second.release();
    assertThat(memory.available()).isEqualTo(10 * MIB);
  }
}
