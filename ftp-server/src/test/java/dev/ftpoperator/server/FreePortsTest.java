package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void aBlockOfPortsAnotherTestJvmHoldsIsNotHandedOutHere() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process other =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HoldOneBlock.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader said =
          new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      int othersPort = Integer.parseInt(said.readLine().trim());
      int othersBlock = blockOf(othersPort);

      assertThat(FreePorts.hold(othersBlock)).isFalse();
      for (int i = 0; i < 10; i++) {
        assertThat(blockOf(FreePorts.range(10).min())).isNotEqualTo(othersBlock);
      }
    } finally {
      other.getOutputStream().close();
      other.waitFor(10, TimeUnit.SECONDS);
      other.destroyForcibly();
    }
  }

  private static int blockOf(int port) {
    return port - (port - 20000) % 1000;
  }

  /** Another test JVM: takes a range, says its first port, holds its block until stdin ends. */
  static final class HoldOneBlock {
    public static void main(String[] args) throws Exception {
      System.out.println(FreePorts.range(1).min());
      System.out.flush();
      while (System.in.read() >= 0) {
        // held until the test closes our stdin
      }
    }
  }
}
