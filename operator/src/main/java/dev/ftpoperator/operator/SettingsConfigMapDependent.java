package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import dev.ftpoperator.api.v1alpha1.TlsMode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's settings as FTP_* environment variables (the ftp-server configuration contract),
 * loaded into the container with envFrom. What depends on the load balancer (FTP_PUBLIC_ADDRESS,
 * FTP_REQUIRE_PUBLIC_ADDRESS) is set on the Deployment instead, so this object is known up front.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreWithoutManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class SettingsConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, FtpServer> {

  public static final String USERS_DIR = "/etc/ftp/users";
  public static final String TLS_DIR = "/etc/ftp/tls";
  public static final String DATA_DIR = "/data";
  public static final String PROBE_DIR = "/etc/ftp/probe";

  public SettingsConfigMapDependent() {
    super(ConfigMap.class);
  }

  /** By name: java-operator-sdk would otherwise build desired() once more just to learn it. */
  @Override
  protected ResourceID targetSecondaryResourceID(FtpServer primary, Context<FtpServer> context) {
    return new ResourceID(Names.settings(primary), primary.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  public static ConfigMap desired(ResolvedFtpServer ftp) {
    ConfigMap configMap =
        new ConfigMapBuilder()
            .withMetadata(
                Names.meta(ftp.ftp(), Names.settings(ftp.ftp()), Names.COMPONENT_SETTINGS))
            .withData(settings(ftp))
            .build();
    return Names.owned(configMap, ftp.ftp());
  }

  /** The FTP_* variables, sorted. */
  public static Map<String, String> settings(ResolvedFtpServer ftp) {
    Map<String, String> env = new TreeMap<>();
    env.put("FTP_CONTROL_PORT", Integer.toString(PassivePorts.CONTROL_PORT));
    env.put("FTP_BIND_ADDRESS", "0.0.0.0");
    env.put("FTP_HTTP_PORT", Integer.toString(PassivePorts.HTTP_PORT));
    env.put("FTP_PASSIVE_PORTS", ftp.passivePorts().toString());
    env.put("FTP_ACTIVE_ENABLED", Boolean.toString(ftp.activeEnabled()));
    env.put("FTP_ANONYMOUS_ENABLED", Boolean.toString(ftp.anonymous()));
    env.put("FTP_USERS_DIR", USERS_DIR);
    env.put("FTP_DATA_DIR", DATA_DIR);
    // always mounted, so switching the self-test on or off does not roll the pods
    env.put("FTP_PROBE_PASSWORD_FILE", PROBE_DIR + "/" + ProbeSecret.PASSWORD_KEY);
    env.put("FTP_TLS_MODE", ftp.tlsMode().map(TlsMode::envValue).orElse("none"));
    if (ftp.tlsMode().isPresent()) {
      env.put("FTP_TLS_CERT_FILE", TLS_DIR + "/tls.crt");
      env.put("FTP_TLS_KEY_FILE", TLS_DIR + "/tls.key");
      env.put("FTP_TLS_SESSION_REUSE_REQUIRED", Boolean.toString(ftp.tlsSessionReuseRequired()));
    }
    return env;
  }

  /** A short digest of the settings; on the pod template, so a settings change rolls the pods. */
  public static String hash(Map<String, String> settings) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
        digest.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
