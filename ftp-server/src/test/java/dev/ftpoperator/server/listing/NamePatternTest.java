package dev.ftpoperator.server.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import org.apache.ftpserver.util.RegularExpr;
import org.junit.jupiter.api.Test;

/** A listing's wildcard: what it matches, and that no pattern makes it try every split. */
class NamePatternTest {

  @Test
  void starsAndQuestionMarksMatchWhatMinasMatcherMatched() {
    Random random = new Random(7);
    String[] pieces = {"a", "b", "*", "?", "ab", "**"};
    int matched = 0;
    for (int round = 0; round < 20_000; round++) {
      StringBuilder pattern = new StringBuilder();
      for (int i = random.nextInt(6); i >= 0; i--) {
        pattern.append(pieces[random.nextInt(pieces.length)]);
      }
      StringBuilder name = new StringBuilder();
      for (int i = random.nextInt(9); i > 0; i--) {
        name.append(random.nextBoolean() ? 'a' : 'b');
      }
      boolean expected = new RegularExpr(pattern.toString()).isMatch(name.toString());
      assertThat(NamePattern.compile(pattern.toString()).matches(name.toString()))
          .as("%s against %s", pattern, name)
          .isEqualTo(expected);
      matched += expected ? 1 : 0;
    }
    // both answers came up often: the comparison covered matches and mismatches alike
    assertThat(matched).isBetween(2_000, 18_000);
  }

  @Test
  void aSetMatchesOneCharacterOfItsRangesOrOneOutsideThemWhenNegated() {
    assertThat(NamePattern.compile("[a-c]x").matches("bx")).isTrue();
    assertThat(NamePattern.compile("[a-c]x").matches("dx")).isFalse();
    assertThat(NamePattern.compile("[a-c]x").matches("abx")).isFalse();
    assertThat(NamePattern.compile("[xyz0-9]").matches("7")).isTrue();
    assertThat(NamePattern.compile("[!a-c]*").matches("data")).isTrue();
    assertThat(NamePattern.compile("[^a-c]*").matches("cat")).isFalse();
    assertThat(NamePattern.compile("[]]").matches("]")).isTrue();
    assertThat(NamePattern.compile("*[.]txt").matches("notes.txt")).isTrue();
    assertThat(NamePattern.compile("*[.]txt").matches("notes_txt")).isFalse();
  }

  @Test
  void anUnclosedBracketMatchesItself() {
    assertThat(NamePattern.compile("report[1").matches("report[1")).isTrue();
    assertThat(NamePattern.compile("report[1").matches("report1")).isFalse();
  }

  @Test
  void aCharacterOutsideTheBasicPlaneIsOneCharacter() {
    assertThat(NamePattern.compile("?.txt").matches("\uD83D\uDE00.txt")).isTrue();
    assertThat(NamePattern.compile("??.txt").matches("\uD83D\uDE00.txt")).isFalse();
    assertThat(NamePattern.compile("[\uD83D\uDE00]*").matches("\uD83D\uDE00 day")).isTrue();
  }

  @Test
  void manyStarsOverALongNameAreAnsweredWithoutTryingEverySplit() {
    // MINA's matcher tries each way the stars could split the name: over 10^40 of them here
    String name = "a".repeat(200);
    NamePattern hostile = NamePattern.compile("*a".repeat(40) + "*b");
    NamePattern matching = NamePattern.compile("*a".repeat(40) + "*");

    boolean[] answers =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> new boolean[] {hostile.matches(name), matching.matches(name)});

    assertThat(answers).containsExactly(false, true);
  }
}
