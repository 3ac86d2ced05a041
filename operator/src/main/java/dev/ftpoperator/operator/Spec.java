package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.ActiveMode;
import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.ServiceSpec;
import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.api.v1alpha1.StorageSpec;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import dev.ftpoperator.api.v1alpha1.TrafficPolicy;
import java.util.Optional;

/**
 * Reads an FtpServer's spec with the schema's defaults applied, so code never meets a null where
 * the API server would have put a default (objects built in tests skip admission).
 */
public final class Spec {

  private Spec() {}

  public static PassivePorts passivePorts(FtpServer ftp) {
    PassivePorts ports = ftp.getSpec().getPassivePorts();
    return ports != null ? ports : new PassivePorts(30000, 30009);
  }

  public static ServiceSpec service(FtpServer ftp) {
    ServiceSpec service = ftp.getSpec().getService();
    return service != null ? service : new ServiceSpec();
  }

  public static ServiceType serviceType(FtpServer ftp) {
    ServiceType type = service(ftp).getType();
    return type != null ? type : ServiceType.LoadBalancer;
  }

  public static TrafficPolicy trafficPolicy(FtpServer ftp) {
    TrafficPolicy policy = service(ftp).getExternalTrafficPolicy();
    return policy != null ? policy : TrafficPolicy.Local;
  }

  public static StorageSpec storage(FtpServer ftp) {
    StorageSpec storage = ftp.getSpec().getStorage();
    return storage != null ? storage : new StorageSpec();
  }

  public static boolean emptyDir(FtpServer ftp) {
    return Boolean.TRUE.equals(storage(ftp).getEmptyDir());
  }

  public static Optional<String> existingClaim(FtpServer ftp) {
    return Optional.ofNullable(storage(ftp).getExistingClaim());
  }

  /** True when the operator creates and owns the data claim. */
  public static boolean ownsDataClaim(FtpServer ftp) {
    return !emptyDir(ftp) && existingClaim(ftp).isEmpty();
  }

  public static String storageSize(FtpServer ftp) {
    String size = storage(ftp).getSize();
    return size != null ? size : StorageSpec.DEFAULT_SIZE;
  }

  public static Optional<TlsMode> tlsMode(FtpServer ftp) {
    if (ftp.getSpec().getTls() == null || tlsSecret(ftp).isEmpty()) {
      return Optional.empty();
    }
    TlsMode mode = ftp.getSpec().getTls().getMode();
    return Optional.of(mode != null ? mode : TlsMode.Explicit);
  }

  /** Whether protected data connections must resume the control connection's TLS session. */
  public static boolean tlsSessionReuseRequired(FtpServer ftp) {
    return ftp.getSpec().getTls() == null
        || !Boolean.FALSE.equals(ftp.getSpec().getTls().getRequireSessionReuse());
  }

  public static Optional<String> tlsSecret(FtpServer ftp) {
    if (ftp.getSpec().getTls() == null || ftp.getSpec().getTls().getSecretRef() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(ftp.getSpec().getTls().getSecretRef().getName());
  }

  public static Optional<String> usersSecret(FtpServer ftp) {
    if (ftp.getSpec().getUsers() == null || ftp.getSpec().getUsers().getSecretRef() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(ftp.getSpec().getUsers().getSecretRef().getName());
  }

  public static boolean anonymous(FtpServer ftp) {
    return Boolean.TRUE.equals(ftp.getSpec().getAnonymous());
  }

  public static boolean activeEnabled(FtpServer ftp) {
    ActiveMode active = ftp.getSpec().getActiveMode();
    return active == null || active.getEnabled() == null || active.getEnabled();
  }

  public static boolean implicitTls(FtpServer ftp) {
    return tlsMode(ftp).filter(m -> m == TlsMode.Implicit).isPresent();
  }

  /** The Service port clients connect to: 21, or 990 for implicit FTPS. */
  public static int servicePort(FtpServer ftp) {
    return implicitTls(ftp) ? 990 : 21;
  }

  public static String servicePortName(FtpServer ftp) {
    return implicitTls(ftp) ? "ftps" : "ftp";
  }
}
