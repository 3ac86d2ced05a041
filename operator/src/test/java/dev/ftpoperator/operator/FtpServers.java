package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.FtpServerSpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.UsersSpec;
import dev.ftpoperator.operator.PublicAddressResolver.PublicAddress;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** FtpServer objects for unit tests, as the design's example writes them. */
final class FtpServers {

  /**
   * The operator's settings with every default of {@link FtpOperatorConfig}, as Quarkus reads them.
   */
  static final OperatorSettings SETTINGS = OperatorSettings.from(config(Map.of()));

  /**
   * {@link FtpOperatorConfig} as Quarkus reads it from these properties (and its defaults),
   * durations such as "15s" included.
   */
  static FtpOperatorConfig config(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(FtpOperatorConfig.class)
        .withConverter(Duration.class, 200, new DurationConverter())
        .withDefaultValues(properties)
        .build()
        .getConfigMapping(FtpOperatorConfig.class);
  }

  private FtpServers() {}

  /** The view a reconcile of {@code ftp} works from before its address is known. */
  static ResolvedFtpServer view(FtpServer ftp) {
    return ResolvedFtpServer.resolve(ftp, SETTINGS, Optional.empty(), List.of());
  }

  /** The view once the address is known. */
  static ResolvedFtpServer view(FtpServer ftp, PublicAddress address) {
    ResolvedFtpServer view = view(ftp);
    return new ResolvedFtpServer(view.ftp(), view.spec(), view.settings(), Optional.of(address));
  }

  /** The view once the address and every pod's relay address (10.96.0.10+k) are known. */
  static ResolvedFtpServer replicatedView(FtpServer ftp, PublicAddress address) {
    ResolvedFtpServer view = view(ftp, address);
    java.util.TreeMap<Integer, String> peers = new java.util.TreeMap<>();
    for (int k = 0; k < view.replicas(); k++) {
      peers.put(k, "10.96.0." + (10 + k));
    }
    return new ResolvedFtpServer(view.ftp(), view.spec(), view.settings(), view.address(), peers);
  }

  /** {@code ftp} with {@code replicas} pods on a ReadWriteMany claim, as admission accepts it. */
  static FtpServer replicated(FtpServer ftp, int replicas) {
    ftp.getSpec().setReplicas(replicas);
    dev.ftpoperator.api.v1alpha1.StorageSpec storage =
        new dev.ftpoperator.api.v1alpha1.StorageSpec();
    storage.setAccessMode(dev.ftpoperator.api.v1alpha1.AccessMode.ReadWriteMany);
    ftp.getSpec().setStorage(storage);
    return ftp;
  }

  /** The spec with the schema's defaults, as the API server would store it. */
  static FtpServerSpec defaulted(FtpServer ftp) {
    return view(ftp).spec();
  }

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
