package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the last self-tests found (the TransferVerified condition says whether it passed). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SelfTestStatus {

  @JsonPropertyDescription("When a probe last logged in and listed a directory, RFC 3339.")
  private String lastSuccessTime;

  @JsonPropertyDescription(
      "Milliseconds the last successful probe took, from connect to the listing's end.")
  private Long roundTripMillis;

  @JsonPropertyDescription("Probes that failed in a row since the last success.")
  private Integer consecutiveFailures;

  @JsonPropertyDescription(
      "With several replicas: per pod that answered a probe's control connection (the load"
          + " balancer spreads the probes over the pods), its last verdict and last success.")
  private List<PodSelfTestStatus> pods;

  public String getLastSuccessTime() {
    return lastSuccessTime;
  }

  public void setLastSuccessTime(String lastSuccessTime) {
    this.lastSuccessTime = lastSuccessTime;
  }

  public Long getRoundTripMillis() {
    return roundTripMillis;
  }

  public void setRoundTripMillis(Long roundTripMillis) {
    this.roundTripMillis = roundTripMillis;
  }

  public Integer getConsecutiveFailures() {
    return consecutiveFailures;
  }

  public void setConsecutiveFailures(Integer consecutiveFailures) {
    this.consecutiveFailures = consecutiveFailures;
  }

  public List<PodSelfTestStatus> getPods() {
    return pods;
  }

  public void setPods(List<PodSelfTestStatus> pods) {
    this.pods = pods;
  }
}
