package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The operator's self-test: a client's login, EPSV, PASV and listing through the public address.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class SelfTestSpec {

  @Default("true")
  @JsonPropertyDescription(
      "Probe the server through status.endpoint as a client would and report it in the"
          + " TransferVerified condition; Ready then waits for the first verified transfer. Switch it"
          + " off where the operator cannot reach the public address (a load balancer without"
          + " hairpin, a NetworkPolicy). Default true.")
  private Boolean enabled;

  @Default("60")
  @Min(10)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds between probes (10-3600, default 60); after a failure the probe backs off, never"
          + " running more often than this.")
  private Integer intervalSeconds;

  public SelfTestSpec() {}

  public SelfTestSpec(boolean enabled, int intervalSeconds) {
    this.enabled = enabled;
    this.intervalSeconds = intervalSeconds;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getIntervalSeconds() {
    return intervalSeconds;
  }

  public void setIntervalSeconds(Integer intervalSeconds) {
    this.intervalSeconds = intervalSeconds;
  }
}
