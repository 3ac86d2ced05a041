package dev.ftpoperator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ftpoperator.server.config.PassivePortRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process as the pod runs it (readOnlyRootFilesystem): in its own mount namespace whose
 * root, /tmp included, is read-only; only the data and users directories are writable mounts.
 */
class ReadOnlyRootTest {

  private Process process;

  /** Before JUnit deletes the test's directory: the process writes there. */
  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theServerStartsAndStoresFilesOnAReadOnlyRoot(@TempDir Path root) throws Exception {
    ExternalTool.require("unshare");
    ExternalTool.Result probe =
        ExternalTool.run(
            Path.of("."),
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -o remount,bind,ro / && ! touch /tmp/.ro-probe 2>/dev/null");
    assumeTrue(probe.exitCode() == 0, "no private read-only mounts here: " + probe.output());

    Files.createDirectories(root.resolve("users"));
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("users/alice"), "secret\n");
    PassivePortRange ports = FreePorts.range(2);
    int control = ServerProcessTest.freePort();
    int http = ServerProcessTest.freePort();
    Map<String, String> env = FtpTestServer.environment(root, ports);
    env.put("FTP_CONTROL_PORT", Integer.toString(control));
    env.put("FTP_HTTP_PORT", Integer.toString(http));
    env.put("RO_ROOT", root.toString());
    process =
        ServerProcessTest.launch(
            root,
            env,
            http,
            List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                // the test's directory stays writable (the pod's volumes); everything else is not
                "mount --bind \"$RO_ROOT\" \"$RO_ROOT\" && mount -o remount,bind,ro / && exec \"$@\"",
                "ro-root"));

    FTPClient client = new FTPClient();
    FtpTestServer.configure(client);
    client.connect(FtpTestServer.HOST, control);
    assertThat(client.login("alice", "secret")).isTrue();
    client.setFileType(FTP.BINARY_FILE_TYPE);
    client.enterLocalPassiveMode();
    byte[] content = "written on a read-only root".getBytes();
    assertThat(client.storeFile("note.txt", new ByteArrayInputStream(content)))
        .as(client.getReplyString())
        .isTrue();
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    assertThat(client.retrieveFile("note.txt", back)).isTrue();
    assertThat(back.toByteArray()).isEqualTo(content);
    client.disconnect();
    assertThat(root.resolve("data/alice/note.txt")).hasBinaryContent(content);
  }
}
