package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An FTP client program run as its own process (curl, lftp, python3), bounded in time. */
public final class ExternalTool {

  /** What a finished run left behind. */
  public record Result(int exitCode, String output) {}

  private ExternalTool() {}

  /**
   * Makes sure the program is installed. In CI (CI set) a missing tool fails the test; on a
   * developer machine the test is skipped with the same hint.
   */
  public static void require(String program) {
    boolean found =
        System.getenv("PATH") != null
            && java.util.Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    String hint =
        program
            + " is not installed: run local-cluster/install-prereqs.sh (apt-get install curl lftp python3)";
    if (System.getenv("CI") != null) {
      if (!found) {
        fail(hint);
      }
    } else {
      assumeTrue(found, hint);
    }
  }

  public static Result run(Path workDir, String... command)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command));
    Process process =
        new ProcessBuilder(args)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] output;
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      output = process.getInputStream().readAllBytes();
      fail(
          String.join(" ", args)
              + " did not finish in 60 s: "
              + new String(output, StandardCharsets.UTF_8));
    }
    output = process.getInputStream().readAllBytes();
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
