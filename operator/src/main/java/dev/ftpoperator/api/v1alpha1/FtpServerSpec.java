package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

/** What the user asks for. */
@ValidationRule(
    value = "has(self.users) || (has(self.anonymous) && self.anonymous)",
    message = "set users.secretRef.name, or anonymous: true for an anonymous-only server")
@ValidationRule(
    value =
        "!has(self.service) || !has(self.service.type) || self.service.type != 'NodePort'"
            + " || !has(self.passivePorts)"
            + " || (self.passivePorts.min >= 30000 && self.passivePorts.max <= 32767)",
    message =
        "service.type NodePort needs passivePorts within the node-port range 30000-32767: every"
            + " passive port is also its node port, so clients reach the port the server advertises")
// Several replicas split the passive range into one slice per pod (see the replicas field).
@ValidationRule(
    value =
        "!has(self.replicas) || !has(self.passivePorts)"
            + " || self.passivePorts.max - self.passivePorts.min + 1 >= 2 * self.replicas",
    message =
        "passivePorts needs at least 2 ports per replica (N replicas: 2N ports): each pod answers"
            + " PASV/EPSV only with ports of its own slice of the range, and a slice needs at least"
            + " 2. Widen passivePorts or lower replicas")
@ValidationRule(
    value =
        "!has(self.replicas) || self.replicas == 1 || !has(self.storage)"
            + " || !has(self.storage.emptyDir) || !self.storage.emptyDir",
    message =
        "replicas > 1 cannot use storage.emptyDir: an emptyDir belongs to one pod, so a file"
            + " uploaded through one replica would be missing on the others. Use a ReadWriteMany"
            + " claim (storage.accessMode: ReadWriteMany, or storage.existingClaim)")
@ValidationRule(
    value =
        "!has(self.replicas) || self.replicas == 1 || (has(self.storage)"
            + " && ((has(self.storage.emptyDir) && self.storage.emptyDir)"
            + " || has(self.storage.existingClaim)"
            + " || (has(self.storage.accessMode) && self.storage.accessMode == 'ReadWriteMany')))",
    message =
        "replicas > 1 needs storage all pods can mount at once: set storage.accessMode:"
            + " ReadWriteMany (the StorageClass must offer it: NFS, CephFS, EFS, Filestore, Azure"
            + " Files), or storage.existingClaim naming a ReadWriteMany claim. A ReadWriteOnce"
            + " volume attaches to one node only")
// A newer CRD may carry fields this operator does not know yet (here and in every nested API
// class): read on, do not stop the watch.
@JsonIgnoreProperties(ignoreUnknown = true)
public class FtpServerSpec {

  /** Most replicas an FtpServer may ask for (see the replicas field). */
  public static final int MAX_REPLICAS = 8;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription(
      "Container image of the FTP server. Unset: the operator's default"
          + " (ftp.operator.server-image, env FTP_OPERATOR_SERVER_IMAGE).")
  private String image;

  @JsonPropertyDescription("FTP accounts. Required unless anonymous is true.")
  private UsersSpec users;

  @Default("false")
  @JsonPropertyDescription(
      "Allow anonymous logins (read-only, home <data>/anonymous). Default false.")
  private Boolean anonymous;

  @Required
  @JsonPropertyDescription(
      "Passive data port range. Container ports, Service ports and the ports in PASV replies are the"
          + " same numbers; every port is enumerated on the Service.")
  private PassivePorts passivePorts;

  @Size(min = 1, max = 253)
  @Pattern("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
  @JsonPropertyDescription(
      "Address advertised in PASV replies (an IPv4 address or a DNS name, resolved by the server when"
          + " it answers). Unset: the load balancer's IP or hostname (type LoadBalancer), a node's"
          + " ExternalIP or InternalIP (NodePort), the ClusterIP (ClusterIP).")
  private String passiveAddress;

  @Default("{}")
  @JsonPropertyDescription("Active mode (PORT/EPRT) settings.")
  private ActiveMode activeMode;

  @Default("{}")
  @JsonPropertyDescription("The Service that exposes port 21 and every passive port.")
  private ServiceSpec service;

  @Default("{}")
  @JsonPropertyDescription(
      "Storage for the files (/data): a PersistentVolumeClaim of storage.size by default.")
  private StorageSpec storage;

  @JsonPropertyDescription("FTPS from a kubernetes.io/tls Secret. Unset: plain FTP only.")
  private TlsSpec tls;

  @Default("{}")
  @JsonPropertyDescription(
      "The operator's self-test through the public endpoint (TransferVerified condition).")
  private SelfTestSpec selfTest;

  @JsonPropertyDescription(
      "A NetworkPolicy for the server's pods (off by default): FTP only from the Service's"
          + " loadBalancerSourceRanges (or anywhere), metrics/health only from chosen namespaces.")
  private NetworkPolicySpec networkPolicy;

  @JsonPropertyDescription(
      "CPU and memory of the FTP server container. Unset: the operator's defaults"
          + " (ftp.operator.default-resources.*).")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Node labels the FTP server pod must run on.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the FTP server pod.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity of the FTP server pod.")
  private Affinity affinity;

  @JsonPropertyDescription("Annotations added to the FTP server pod.")
  private Map<String, String> podAnnotations;

  @Default("1")
  @Min(1)
  @Max(FtpServerSpec.MAX_REPLICAS)
  @SpecReplicas
  @JsonPropertyDescription(
      "Number of FTP server pods, 1 to "
          + FtpServerSpec.MAX_REPLICAS
          + ". With more than 1 every pod listens on the whole passive range behind the one"
          + " Service, owns a slice of it for its PASV/EPSV replies, and relays a data connection"
          + " for another pod's port to that pod; the files must be on ReadWriteMany storage."
          + " At most "
          + FtpServerSpec.MAX_REPLICAS
          + ": (N-1)/N of all data connections take the relay hop, and each pod is a relay peer"
          + " of every other. Changing between 1 and more replaces the Deployment by a"
          + " StatefulSet (or back): the server restarts. kubectl scale works.")
  private Integer replicas;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public UsersSpec getUsers() {
    return users;
  }

  public void setUsers(UsersSpec users) {
    this.users = users;
  }

  public Boolean getAnonymous() {
    return anonymous;
  }

  public void setAnonymous(Boolean anonymous) {
    this.anonymous = anonymous;
  }

  public PassivePorts getPassivePorts() {
    return passivePorts;
  }

  public void setPassivePorts(PassivePorts passivePorts) {
    this.passivePorts = passivePorts;
  }

  public String getPassiveAddress() {
    return passiveAddress;
  }

  public void setPassiveAddress(String passiveAddress) {
    this.passiveAddress = passiveAddress;
  }

  public ActiveMode getActiveMode() {
    return activeMode;
  }

  public void setActiveMode(ActiveMode activeMode) {
    this.activeMode = activeMode;
  }

  public ServiceSpec getService() {
    return service;
  }

  public void setService(ServiceSpec service) {
    this.service = service;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public NetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }

  public SelfTestSpec getSelfTest() {
    return selfTest;
  }

  public void setSelfTest(SelfTestSpec selfTest) {
    this.selfTest = selfTest;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
