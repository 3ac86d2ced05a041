package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** FtpServer objects for unit tests, as the design's example writes them. */
final class FtpServers {

  private FtpServers() {}

  static FtpServer partners() {
    FtpServer ftp = new FtpServer();
    ftp.setMetadata(
        new ObjectMetaBuilder()
            .withName("partners")
            .withNamespace("ftp")
            .withUid("0b7c6f8e-1111-2222-3333-444455556666")
            .withGeneration(1L)
            .build());
    FtpServerSpec spec = new FtpServerSpec();
    spec.setUsers(new UsersSpec("partners-users"));
    spec.setPassivePorts(new PassivePorts(30000, 30019));
    ftp.setSpec(spec);
    return ftp;
  }

  static FtpServer withType(FtpServer ftp, ServiceType type) {
    ServiceSpec service =
        ftp.getSpec().getService() == null ? new ServiceSpec() : ftp.getSpec().getService();
    service.setType(type);
    ftp.getSpec().setService(service);
    return ftp;
  }
}
