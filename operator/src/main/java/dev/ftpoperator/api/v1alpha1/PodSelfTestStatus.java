package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The self-test's probes that one replica answered (it names itself to the probe identity). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodSelfTestStatus {

  @JsonPropertyDescription("The pod's name, <ftpserver>-<ordinal>.")
  private String name;

  @JsonPropertyDescription(
      "The verdict of the last probe whose control connection this pod answered: TransferVerified"
          + " or the TransferVerified condition's failure reason.")
  private String lastResult;

  @JsonPropertyDescription(
      "When a probe answered by this pod last succeeded, RFC 3339 (shown again at most every 10"
          + " minutes, with the FtpServer's lastSuccessTime).")
  private String lastSuccessTime;

  public PodSelfTestStatus() {}

  public PodSelfTestStatus(String name, String lastResult, String lastSuccessTime) {
    this.name = name;
    this.lastResult = lastResult;
    this.lastSuccessTime = lastSuccessTime;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getLastResult() {
    return lastResult;
  }

  public void setLastResult(String lastResult) {
    this.lastResult = lastResult;
  }

  public String getLastSuccessTime() {
    return lastSuccessTime;
  }

  public void setLastSuccessTime(String lastSuccessTime) {
    this.lastSuccessTime = lastSuccessTime;
  }
}
