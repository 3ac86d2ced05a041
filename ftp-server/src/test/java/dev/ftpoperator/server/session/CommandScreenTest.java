package dev.ftpoperator.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.server.session.CommandScreen.Verdict;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Exactly which lines the screen treats as HTTP, as control characters, as unknown. */
class CommandScreenTest {

  private static final Predicate<String> KNOWN = Set.of("USER", "PASS", "MKD", "NOOP")::contains;

  private static Verdict before(String line) {
    return CommandScreen.judge(line, false, KNOWN);
  }

  private static Verdict after(String line) {
    return CommandScreen.judge(line, true, KNOWN);
  }

  @Test
  void requestLinesAreHttpBeforeAndAfterLogin() {
    for (String line :
        new String[] {
          "GET / HTTP/1.1",
          "POST /a?b=c HTTP/1.0",
          "PRI * HTTP/2.0",
          "options * http/1.1",
          "GET x HTTP/2"
        }) {
      assertThat(before(line)).as(line).isEqualTo(Verdict.HTTP_CLOSE);
      assertThat(after(line)).as(line).isEqualTo(Verdict.HTTP_CLOSE);
    }
  }

  @Test
  void headerLinesAreHttpOnlyBeforeLogin() {
    for (String line :
        new String[] {"Host: example.org", "User-Agent: curl/8", "X-Y:1", "Cookie:"}) {
      assertThat(before(line)).as(line).isEqualTo(Verdict.HTTP_CLOSE);
      assertThat(after(line)).as(line).isEqualTo(Verdict.PASS_ON);
    }
  }

  @Test
  void ftpLinesThatMerelyContainHttpWordsOrColonsAreNot() {
    assertThat(after("MKD HTTP")).isEqualTo(Verdict.PASS_ON);
    assertThat(after("MKD a b HTTP/1.1 c")).isEqualTo(Verdict.PASS_ON);
    assertThat(after("MKD GET / HTTP/1.1")).isEqualTo(Verdict.PASS_ON);
    assertThat(before("USER alice:team")).isEqualTo(Verdict.PASS_ON);
    assertThat(after("MKD c:dir")).isEqualTo(Verdict.PASS_ON);
  }

  @Test
  void anyC0OrDelIsRefusedExceptInPass() {
    for (char c = 0; c < 0x20; c++) {
      assertThat(after("MKD a" + c + "b"))
          .as("char %d", (int) c)
          .isEqualTo(Verdict.CONTROL_CHARACTER);
    }
    assertThat(after("MKD a\u007fb")).isEqualTo(Verdict.CONTROL_CHARACTER);
    assertThat(after("MKD caf\u00e9")).isEqualTo(Verdict.PASS_ON);
    assertThat(before("PASS p\u0001ss")).isEqualTo(Verdict.PASS_ON);
  }

  @Test
  void unknownCommandsCountOnlyBeforeLogin() {
    assertThat(before("EHLO x")).isEqualTo(Verdict.UNKNOWN);
    assertThat(before("noop")).isEqualTo(Verdict.PASS_ON);
    assertThat(after("EHLO x")).isEqualTo(Verdict.PASS_ON);
  }
}
