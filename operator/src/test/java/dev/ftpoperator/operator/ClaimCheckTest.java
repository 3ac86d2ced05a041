package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaimCheckTest {

  static FtpServer onExistingClaim(int replicas) {
    FtpServer ftp = FtpServers.partners();
    ftp.getSpec().setReplicas(replicas);
    StorageSpec storage = new StorageSpec();
    storage.setExistingClaim("shared");
    ftp.getSpec().setStorage(storage);
    return ftp;
  }

  static Optional<PersistentVolumeClaim> claim(String... modes) {
    return Optional.of(
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName("shared")
            .endMetadata()
            .withNewSpec()
            .withAccessModes(modes)
            .endSpec()
            .build());
  }

  @Test
  void aReadWriteOnceClaimForSeveralReplicasIsStorageNotShared() {
    assertThat(
            ClaimCheck.problems(FtpServers.view(onExistingClaim(3)), n -> claim("ReadWriteOnce")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.StorageNotShared);
              assertThat(p.message()).contains("shared", "ReadWriteOnce", "ReadWriteMany");
            });
  }

  @Test
  void aMissingClaimForSeveralReplicasIsClaimNotFound() {
    assertThat(ClaimCheck.problems(FtpServers.view(onExistingClaim(2)), n -> Optional.empty()))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).isEqualTo(Reason.ClaimNotFound));
  }

  @Test
  void aReadWriteManyClaimOrASingleReplicaIsFineAndOneReplicaReadsNothing() {
    assertThat(
            ClaimCheck.problems(
                FtpServers.view(onExistingClaim(3)), n -> claim("ReadWriteOnce", "ReadWriteMany")))
        .isEmpty();
    assertThat(
            ClaimCheck.problems(
                FtpServers.view(onExistingClaim(1)),
                n -> {
                  throw new AssertionError("a single replica reads no claim");
                }))
        .isEmpty();
  }
}
