package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import org.junit.jupiter.api.Test;

class DataClaimDependentTest {

  @Test
  void claimsTheRequestedSizeAndClassReadWriteOnce() {
    FtpServer ftp = FtpServers.partners();
    StorageSpec storage = new StorageSpec();
    storage.setSize("10Gi");
    storage.setStorageClassName("fast");
    ftp.getSpec().setStorage(storage);
    PersistentVolumeClaim claim = DataClaimDependent.desired(FtpServers.view(ftp));
    assertThat(claim.getMetadata().getName()).isEqualTo("partners-data");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("10Gi");
    assertThat(claim.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "data");
    assertThat(claim.getMetadata().getOwnerReferences()).hasSize(1);
  }

  @Test
  void defaultsTo1GiAndTheClusterDefaultClass() {
    PersistentVolumeClaim claim =
        DataClaimDependent.desired(FtpServers.view(FtpServers.partners()));
    assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("1Gi");
    assertThat(claim.getSpec().getStorageClassName()).isNull();
  }

  @Test
  void isWantedOnlyWhenNeitherEmptyDirNorAnExistingClaimIsAsked() {
    FtpServer ftp = FtpServers.partners();
    // DataClaimDependent.Wanted is this method of the reconcile's view
    assertThat(FtpServers.view(ftp).ownsDataClaim()).isTrue();
    StorageSpec storage = new StorageSpec();
    storage.setEmptyDir(true);
    ftp.getSpec().setStorage(storage);
    assertThat(FtpServers.view(ftp).ownsDataClaim()).isFalse();
    storage.setEmptyDir(false);
    storage.setExistingClaim("old-data");
    assertThat(FtpServers.view(ftp).ownsDataClaim()).isFalse();
  }
}
