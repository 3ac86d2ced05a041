package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One server pod of a replicated FtpServer and the passive ports it owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ReplicaStatus {

  @JsonPropertyDescription("The pod's name, <ftpserver>-<ordinal>.")
  private String name;

  @JsonPropertyDescription("The pod's ordinal k (0 to replicas-1).")
  private Integer ordinal;

  @JsonPropertyDescription(
      "The slice of the passive range this pod offers in its PASV/EPSV replies, min-max. Every"
          + " pod accepts data connections on the whole range and relays those for another pod's"
          + " slice to that pod.")
  private String passivePorts;

  @JsonPropertyDescription("Whether the pod is Ready.")
  private Boolean ready;

  public ReplicaStatus() {}

  public ReplicaStatus(String name, int ordinal, String passivePorts, boolean ready) {
    this.name = name;
    this.ordinal = ordinal;
    this.passivePorts = passivePorts;
    this.ready = ready;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getOrdinal() {
    return ordinal;
  }

  public void setOrdinal(Integer ordinal) {
    this.ordinal = ordinal;
  }

  public String getPassivePorts() {
    return passivePorts;
  }

  public void setPassivePorts(String passivePorts) {
    this.passivePorts = passivePorts;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }
}
