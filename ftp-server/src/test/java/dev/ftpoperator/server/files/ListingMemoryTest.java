package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listing memory hands out what it has, refuses the rest, lets one listing at a time past a
 * quarter of it, and takes each share back once.
 */
class ListingMemoryTest {

  private static final long MIB = 1024 * 1024;

  @Test
  void sharesGrowWhileTheMemoryIsFreeAndAreTakenBackOnce() throws Exception {
    ListingMemory memory = new ListingMemory(16 * MIB, Duration.ZERO);
    ListingMemory.Reservation first = memory.reservation();
    ListingMemory.Reservation second = memory.reservation();
    ListingMemory.Reservation third = memory.reservation();

    first.coverOrRefuse(3 * MIB);
    second.coverOrRefuse(4 * MIB);
    assertThat(first.bytes()).isBetween(3 * MIB, 3 * MIB + 256 * 1024);
    first.coverOrRefuse(10 * MIB); // past a quarter: the large listing, and there is room
    assertThat(third.cover(3 * MIB)).as("the rest is not free").isFalse();
    assertThat(third.bytes()).isZero();
    assertThatThrownBy(() -> third.coverOrRefuse(3 * MIB))
        .isInstanceOf(ListingTooLargeException.class)
        .hasMessageStartingWith("This listing needs more than the 1 MiB free of the 16 MiB");
    assertThat(third.cover(memory.available())).as("what is free still fits").isTrue();
    assertThat(memory.available()).isZero();

    first.release();
    first.release();
    assertThat(memory.reservedBytes()).isEqualTo(second.bytes() + third.bytes());
    second.release();
    third.release();
    assertThat(memory.available()).isEqualTo(16 * MIB);
  }

  @Test
  void aSecondListingPastAQuarterIsRefusedWhileTheFirstIsOpen() throws Exception {
    ListingMemory memory = new ListingMemory(16 * MIB, Duration.ZERO);
    ListingMemory.Reservation first = memory.reservation();
    ListingMemory.Reservation second = memory.reservation();

    first.coverOrRefuse(5 * MIB);
    second.coverOrRefuse(4 * MIB);
    assertThatThrownBy(() -> second.coverOrRefuse(5 * MIB))
        .isInstanceOf(ListingTooLargeException.class)
        .hasMessage(
            "This listing needs more than a quarter of the 16 MiB this server keeps for listings,"
                + " and another such listing is in progress: try again later");

    first.release();
    second.coverOrRefuse(5 * MIB);
    assertThat(second.bytes()).isGreaterThanOrEqualTo(5 * MIB);
  }

  @Test
  void theLargeListingWaitsForTheOthersToGiveTheirSharesBack() throws Exception {
    ListingMemory memory = new ListingMemory(16 * MIB, Duration.ofSeconds(20));
    ListingMemory.Reservation small = memory.reservation();
    ListingMemory.Reservation large = memory.reservation();
    small.coverOrRefuse(4 * MIB);

    CompletableFuture<Boolean> grown = CompletableFuture.supplyAsync(() -> large.cover(14 * MIB));
    Thread.sleep(200);
    assertThat(grown).as("waiting for the small listing's share").isNotDone();
    small.release();

    assertThat(grown.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(large.bytes()).isGreaterThanOrEqualTo(14 * MIB);
  }

  @Test
  void theLargeListingGivesUpWhenNothingIsGivenBackInTime() throws Exception {
    ListingMemory memory = new ListingMemory(16 * MIB, Duration.ofMillis(100));
    ListingMemory.Reservation small = memory.reservation();
    small.coverOrRefuse(4 * MIB);

    long start = System.nanoTime();
    assertThat(memory.reservation().cover(14 * MIB)).isFalse();
    assertThat(System.nanoTime() - start).as("waited").isGreaterThanOrEqualTo(100_000_000L);
    // the refused one gave up the right to grow large: the next may take it
    assertThat(memory.reservation().cover(11 * MIB)).isTrue();
    assertThat(memory.reservedBytes()).isGreaterThanOrEqualTo(small.bytes() + 11 * MIB);
  }
}
