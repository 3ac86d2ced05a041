package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * A NetworkPolicy for the server's pods: FTP (control and passive ports) from the Service's
 * loadBalancerSourceRanges or from everyone, the health/metrics port only from chosen namespaces.
 */
@ValidationRule(
    value = "!has(self.metricsFrom) || self.enabled",
    message = "networkPolicy.metricsFrom needs networkPolicy.enabled: true")
@JsonIgnoreProperties(ignoreUnknown = true)
public class NetworkPolicySpec {

  @Default("false")
  @JsonPropertyDescription(
      "Create a NetworkPolicy named like the FtpServer that admits only: the control port and the"
          + " passive ports, from service.loadBalancerSourceRanges when set (else from anywhere), and"
          + " the health/metrics port 8080 from the namespaces metricsFrom selects. Everything else"
          + " to the pods is dropped (where the cluster's network plugin enforces NetworkPolicy).")
  private Boolean enabled;

  @JsonPropertyDescription(
      "Namespaces (a label selector on Namespace objects, e.g. matchLabels"
          + " kubernetes.io/metadata.name: monitoring) allowed to reach port 8080 (/metrics,"
          + " /health/*). Unset: no pod may; the kubelet's probes come from the node and are not"
          + " affected on common network plugins.")
  private LabelSelector metricsFrom;

  public NetworkPolicySpec() {}

  public NetworkPolicySpec(boolean enabled, LabelSelector metricsFrom) {
    this.enabled = enabled;
    this.metricsFrom = metricsFrom;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public LabelSelector getMetricsFrom() {
    return metricsFrom;
  }

  public void setMetricsFrom(LabelSelector metricsFrom) {
    this.metricsFrom = metricsFrom;
  }
}
