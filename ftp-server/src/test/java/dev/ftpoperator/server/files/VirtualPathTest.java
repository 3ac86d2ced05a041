package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtualPathTest {

  @Test
  void relativePathsResolveAgainstTheWorkingDirectory() {
    assertThat(new VirtualPath("/a/b").resolve("c/d").value()).isEqualTo("/a/b/c/d");
    assertThat(new VirtualPath("/a/b").resolve("./c").value()).isEqualTo("/a/b/c");
  }

  @Test
  void absolutePathsStartFromTheHomeRoot() {
    assertThat(new VirtualPath("/a/b").resolve("/etc/passwd").value()).isEqualTo("/etc/passwd");
  }

  @Test
  void dotDotNeverClimbsAboveTheRoot() {
    assertThat(new VirtualPath("/a").resolve("../../../..").value()).isEqualTo("/");
    assertThat(new VirtualPath("/").resolve("../x").value()).isEqualTo("/x");
    assertThat(new VirtualPath("/a/b").resolve("..\\..\\..\\c").value()).isEqualTo("/c");
  }

  @Test
  void namesAndRelativeFormsAreDerivedFromTheValue() {
    assertThat(VirtualPath.ROOT.name()).isEqualTo("/");
    assertThat(new VirtualPath("/a/b.txt").name()).isEqualTo("b.txt");
    assertThat(new VirtualPath("/a/b.txt").relative()).isEqualTo("a/b.txt");
  }
}
