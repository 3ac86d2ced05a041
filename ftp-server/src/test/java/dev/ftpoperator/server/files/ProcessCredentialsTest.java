package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCredentialsTest {

  private static final int UID = 1000;
  private static final int GID = 1000;
  private static final ProcessCredentials USER =
      new ProcessCredentials(UID, GID, new int[] {GID, 50}, false, false);

  @Test
  void theOwnersBitsAloneCountForTheOwnerAsTheKernelChecksThem() {
    // group and others may write, the owner may only read: the owner may not write
    FileStat file = stat(0100466, UID, GID);
    assertThat(USER.permits(file, ProcessCredentials.READ)).isTrue();
    assertThat(USER.permits(file, ProcessCredentials.WRITE)).isFalse();
  }

  @Test
  void aMemberOfTheFilesGroupGetsTheGroupBitsPrimaryOrSupplementary() {
    assertThat(USER.permits(stat(0100060, 0, GID), ProcessCredentials.WRITE)).isTrue();
    assertThat(USER.permits(stat(0100060, 0, 50), ProcessCredentials.READ)).isTrue();
    // a group member gets the group's bits even when others may do more
    assertThat(USER.permits(stat(0100006, 0, 50), ProcessCredentials.READ)).isFalse();
  }

  @Test
  void anyoneElseGetsTheOtherBits() {
    assertThat(USER.permits(stat(0100604, 0, 0), ProcessCredentials.READ)).isTrue();
    assertThat(USER.permits(stat(0100604, 0, 0), ProcessCredentials.WRITE)).isFalse();
  }

  @Test
  void theSuperUserMayReadAndWriteAnythingWhileItHoldsTheOverridingCapabilities() {
    ProcessCredentials root = rootWithPermittedCapabilities("000001ffffffffff");
    assertThat(root.permits(stat(0100000, 1000, 1000), ProcessCredentials.READ)).isTrue();
    assertThat(root.permits(stat(0040000, 1000, 1000), ProcessCredentials.WRITE)).isTrue();

    // root in a container that dropped every capability: the permission bits count, as for anyone
    ProcessCredentials withoutCapabilities = rootWithPermittedCapabilities("0000000000000000");
    assertThat(withoutCapabilities.permits(stat(0100000, 1000, 1000), ProcessCredentials.READ))
        .isFalse();
    assertThat(withoutCapabilities.permits(stat(0100600, 0, 0), ProcessCredentials.WRITE)).isTrue();

    // CAP_DAC_READ_SEARCH alone: read anything, write by the bits
    ProcessCredentials readSearch = rootWithPermittedCapabilities("0000000000000004");
    assertThat(readSearch.permits(stat(0100000, 1000, 1000), ProcessCredentials.READ)).isTrue();
    assertThat(readSearch.permits(stat(0100444, 1000, 1000), ProcessCredentials.WRITE)).isFalse();
  }

  @Test
  void theCredentialsAreTheRealIdsOfAProcStatus() {
    assertThat(
            ProcessCredentials.parse(
                List.of(
                    "Name:\tjava",
                    "Uid:\t1000\t0\t0\t0",
                    "Gid:\t1001\t0\t0\t0",
                    "Groups:\t4 24 27 ")))
        .hasValueSatisfying(
            own -> {
              assertThat(own.uid()).isEqualTo(1000);
              assertThat(own.gid()).isEqualTo(1001);
              assertThat(own.groups()).containsExactly(4, 24, 27);
            });
    assertThat(ProcessCredentials.parse(List.of("Uid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t0", "Groups:")))
        .hasValueSatisfying(own -> assertThat(own.groups()).isEmpty());
    assertThat(ProcessCredentials.parse(List.of("Name:\tjava"))).isEmpty();
  }

  @Test
  void thisProcessGetsWhatTheKernelsAccessCheckAnswers(@TempDir Path directory) throws IOException {
    ProcessCredentials own = ProcessCredentials.own().orElseThrow();
    for (String permissions : List.of("rw-------", "r--------", "-w-------", "---------")) {
      Path file = Files.createFile(directory.resolve(permissions.replace('-', '_')));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
      FileStat stat = FileStat.of(file);
      assertThat(own.permits(stat, ProcessCredentials.READ))
          .as("read %s", permissions)
          .isEqualTo(Files.isReadable(file));
      assertThat(own.permits(stat, ProcessCredentials.WRITE))
          .as("write %s", permissions)
          .isEqualTo(Files.isWritable(file));
    }
  }

  @Test
  void anotherUserGetsWhatTheKernelsAccessCheckGivesThatUser(@TempDir Path directory)
      throws Exception {
    assumeTrue(
        ProcessCredentials.own().orElseThrow().uid() == 0 && Files.isExecutable(SETPRIV),
        "needs root and setpriv, to own files as others and to ask as nobody");
    int nobody = 65534;
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command =
        new ArrayList<>(
            List.of(
                SETPRIV.toString(),
                "--reuid=" + nobody,
                "--regid=" + nobody,
                "--clear-groups",
                "/bin/sh",
                "-c",
                "for f; do [ -r \"$f\" ] && printf r || printf -; [ -w \"$f\" ] && echo w || echo -;"
                    + " done",
                "sh"));
    List<Path> files = new ArrayList<>();
    int[] owners = {nobody, 0};
    for (int mode : new int[] {0644, 0600, 0060, 0006, 0460, 0046, 0222, 0000, 0640, 0404}) {
      for (int uid : owners) {
        for (int gid : owners) {
          Path file =
              Files.createFile(directory.resolve(String.format("%03o-%d-%d", mode, uid, gid)));
          Files.setAttribute(file, "unix:uid", uid);
          Files.setAttribute(file, "unix:gid", gid);
          Files.setAttribute(file, "unix:mode", mode);
          files.add(file);
          command.add(file.toString());
        }
      }
    }
    Process asNobody = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> kernel =
        new String(asNobody.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .toList();
    assertThat(asNobody.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kernel).hasSameSizeAs(files);

    ProcessCredentials credentials =
        new ProcessCredentials(nobody, nobody, new int[0], false, false);
    for (int i = 0; i < files.size(); i++) {
      FileStat stat = FileStat.of(files.get(i));
      String ours =
          (credentials.permits(stat, ProcessCredentials.READ) ? "r" : "-")
              + (credentials.permits(stat, ProcessCredentials.WRITE) ? "w" : "-");
      assertThat(ours).as("%s", files.get(i).getFileName()).isEqualTo(kernel.get(i));
    }
  }

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /** Root's credentials as /proc/self/status gives them, with these permitted capabilities. */
  private static ProcessCredentials rootWithPermittedCapabilities(String hex) {
    return ProcessCredentials.parse(
            List.of("Uid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t0", "Groups:\t0", "CapPrm:\t" + hex))
        .orElseThrow();
  }

  private static FileStat stat(int mode, int uid, int gid) {
    return new FileStat(mode, 1, 0, 0, uid, gid);
  }
}
