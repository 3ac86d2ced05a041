package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// A newer CRD may carry fields this operator does not know yet (here and in every nested API
// class): read on, do not stop the watch.
@JsonIgnoreProperties(ignoreUnknown = true)
public class FtpServerStatus {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Conditions: AddressAssigned (the public address is known), Available (a server pod is ready),"
          + " TransferVerified (the operator's probe logged in and listed a directory through the"
          + " public endpoint), Ready (all of these, and the referenced Secrets exist).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The address advertised in PASV replies.")
  private String publicAddress;

  @JsonPropertyDescription("Where clients connect, e.g. ftp://203.0.113.7:21.")
  private String endpoint;

  @JsonPropertyDescription("The passive port range, min-max.")
  private String passivePorts;

  @StatusReplicas
  @JsonPropertyDescription("Number of FTP server pods that exist (the scale subresource's status).")
  private Integer replicas;

  @JsonPropertyDescription("Number of ready FTP server pods.")
  private Integer readyReplicas;

  @LabelSelector
  @JsonPropertyDescription(
      "Label selector of the FTP server pods (the scale subresource's selector, e.g. for an"
          + " autoscaler).")
  private String selector;

  @JsonPropertyDescription(
      "With replicas > 1: every server pod, its ordinal, the passive-port slice it owns and"
          + " whether it is ready.")
  private List<ReplicaStatus> pods;

  @JsonPropertyDescription("The self-test's last success and round trip.")
  private SelfTestStatus selfTest;

  @JsonPropertyDescription(
      "Things that work but may surprise, e.g. a passive range larger than a cloud load balancer's"
          + " listener cap.")
  private List<String> warnings;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getPublicAddress() {
    return publicAddress;
  }

  public void setPublicAddress(String publicAddress) {
    this.publicAddress = publicAddress;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getPassivePorts() {
    return passivePorts;
  }

  public void setPassivePorts(String passivePorts) {
    this.passivePorts = passivePorts;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public List<ReplicaStatus> getPods() {
    return pods;
  }

  public void setPods(List<ReplicaStatus> pods) {
    this.pods = pods;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public SelfTestStatus getSelfTest() {
    return selfTest;
  }

  public void setSelfTest(SelfTestStatus selfTest) {
    this.selfTest = selfTest;
  }

  public List<String> getWarnings() {
    return warnings;
  }

  public void setWarnings(List<String> warnings) {
    this.warnings = warnings;
  }

  /**
   * Equal when the serialized data is equal: every field takes part, including ones added later, so
   * "status unchanged, no patch" can never skip a new field.
   */
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof FtpServerStatus other && asTree().equals(other.asTree()));
  }

  @Override
  public int hashCode() {
    return asTree().hashCode();
  }

  private JsonNode asTree() {
    return JSON.convertValue(this, JsonNode.class);
  }
}
