package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of everything the operator creates for an FtpServer. */
public final class Names {

  public static final String APP_NAME = "ftp-server";
  public static final String MANAGED_BY = "ftp-operator";

  /** Field manager of every server-side apply the operator makes. */
  public static final String FIELD_MANAGER = "ftp-operator";

  /** Label selector of the operator's informers: only objects it made. */
  public static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY;

  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";

  /** Pod-template annotation with the advertised address: a change rolls the pods. */
  public static final String PUBLIC_ADDRESS_ANNOTATION = "ftp.operator.dev/public-address";

  /** Pod-template annotation with a hash of the settings ConfigMap: a change rolls the pods. */
  public static final String SETTINGS_HASH_ANNOTATION = "ftp.operator.dev/settings-hash";

  public static final String COMPONENT_SERVER = "server";
  public static final String COMPONENT_SERVICE = "service";
  public static final String COMPONENT_SETTINGS = "settings";
  public static final String COMPONENT_DATA = "data";
  public static final String COMPONENT_NETWORK_POLICY = "network-policy";
  public static final String COMPONENT_PEER = "peer";
  public static final String COMPONENT_CLUSTER = "cluster";

  /** Label the StatefulSet controller puts on each of its pods: the pod's name. */
  public static final String LABEL_POD_NAME = "statefulset.kubernetes.io/pod-name";

  /** The relay listener of a replicated server pod (never on the load-balancer Service). */
  public static final int RELAY_PORT = 2122;

  public static final String COMPONENT_PROBE = "probe";

  private Names() {}

  public static String deployment(FtpServer ftp) {
    return ftp.getMetadata().getName();
  }

  public static String networkPolicy(FtpServer ftp) {
    return ftp.getMetadata().getName();
  }

  public static String service(FtpServer ftp) {
    return ftp.getMetadata().getName();
  }

  public static String statefulSet(FtpServer ftp) {
    return ftp.getMetadata().getName();
  }

  /** The StatefulSet's serviceName (no such Service is made: peers use the per-pod Services). */
  public static String peersGoverningService(FtpServer ftp) {
    return ftp.getMetadata().getName() + "-peers";
  }

  /** Pod k of the StatefulSet, and its per-pod Service. */
  public static String pod(FtpServer ftp, int ordinal) {
    return ftp.getMetadata().getName() + "-" + ordinal;
  }

  public static String peerService(FtpServer ftp, int ordinal) {
    return pod(ftp, ordinal);
  }

  public static String clusterSecret(FtpServer ftp) {
    return ftp.getMetadata().getName() + "-cluster";
  }

  public static String disruptionBudget(FtpServer ftp) {
    return ftp.getMetadata().getName();
  }

  public static String settings(FtpServer ftp) {
    return ftp.getMetadata().getName() + "-settings";
  }

  /** The self-test identity's Secret (key {@link ProbeSecret#PASSWORD_KEY}). */
  public static String probeSecret(FtpServer ftp) {
    return ftp.getMetadata().getName() + "-probe";
  }

  public static String dataClaim(FtpServer ftp) {
    return ftp.getMetadata().getName() + "-data";
  }

  /**
   * Makes the FtpServer the controlling owner of a dependent (garbage-collected with it). The same
   * reference java-operator-sdk would add, with controller and blockOwnerDeletion set.
   */
  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T owned(
      T resource, FtpServer ftp) {
    resource
        .getMetadata()
        .setOwnerReferences(
            new java.util.ArrayList<>(
                java.util.List.of(
                    new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                        .withApiVersion(ftp.getApiVersion())
                        .withKind(ftp.getKind())
                        .withName(ftp.getMetadata().getName())
                        .withUid(ftp.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())));
    return resource;
  }

  /**
   * Metadata of an object made for the FtpServer: its name, the FtpServer's namespace, the labels.
   */
  public static io.fabric8.kubernetes.api.model.ObjectMeta meta(
      FtpServer ftp, String name, String component) {
    return new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(name)
        .withNamespace(ftp.getMetadata().getNamespace())
        .withLabels(labels(ftp, component))
        .build();
  }

  /** Labels that select the server pods (Deployment selector, Service selector): never change. */
  public static Map<String, String> selector(FtpServer ftp) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP_NAME);
    labels.put(LABEL_INSTANCE, ftp.getMetadata().getName());
    return labels;
  }

  /** All recommended labels of one component. */
  public static Map<String, String> labels(FtpServer ftp, String component) {
    Map<String, String> labels = selector(ftp);
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    labels.put(LABEL_COMPONENT, component);
    return labels;
  }
}
