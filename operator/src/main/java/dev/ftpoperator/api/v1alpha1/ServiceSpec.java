package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The Service in front of the FTP server. */
@ValidationRule(
    value = "!has(self.loadBalancerClass) || self.type == 'LoadBalancer'",
    message = "service.loadBalancerClass is only allowed with service.type LoadBalancer")
@ValidationRule(
    value =
        "!has(self.loadBalancerSourceRanges) || size(self.loadBalancerSourceRanges) == 0"
            + " || self.type == 'LoadBalancer'",
    message = "service.loadBalancerSourceRanges is only allowed with service.type LoadBalancer")
@JsonIgnoreProperties(ignoreUnknown = true)
public class ServiceSpec {

  @Default("LoadBalancer")
  @JsonPropertyDescription(
      "How the server is exposed: LoadBalancer (default; the load balancer's address is advertised in"
          + " PASV replies), NodePort (node ports equal the passive ports; a node's ExternalIP, else"
          + " InternalIP, is advertised) or ClusterIP (in-cluster only; passiveAddress, else the"
          + " ClusterIP, is advertised and PASV is not refused without a public address).")
  private ServiceType type;

  @JsonPropertyDescription(
      "Annotations put on the Service, e.g. for a cloud load balancer"
          + " (service.beta.kubernetes.io/aws-load-balancer-type: nlb) or MetalLB.")
  private Map<String, String> annotations;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "The Service's spec.loadBalancerClass: which load-balancer implementation serves it."
          + " Only with type LoadBalancer.")
  private String loadBalancerClass;

  @JsonPropertyDescription(
      "CIDRs allowed to reach the load balancer (spec.loadBalancerSourceRanges)."
          + " Only with type LoadBalancer.")
  private List<String> loadBalancerSourceRanges;

  @Default("Local")
  @JsonPropertyDescription(
      "The Service's externalTrafficPolicy: Local (default) keeps the client's source IP, so the"
          + " server's passive-connection IP check and per-IP limits see real clients; Cluster loses it."
          + " Not used with type ClusterIP.")
  private TrafficPolicy externalTrafficPolicy;

  public ServiceType getType() {
    return type;
  }

  public void setType(ServiceType type) {
    this.type = type;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public String getLoadBalancerClass() {
    return loadBalancerClass;
  }

  public void setLoadBalancerClass(String loadBalancerClass) {
    this.loadBalancerClass = loadBalancerClass;
  }

  public List<String> getLoadBalancerSourceRanges() {
    return loadBalancerSourceRanges;
  }

  public void setLoadBalancerSourceRanges(List<String> loadBalancerSourceRanges) {
    this.loadBalancerSourceRanges = loadBalancerSourceRanges;
  }

  public TrafficPolicy getExternalTrafficPolicy() {
    return externalTrafficPolicy;
  }

  public void setExternalTrafficPolicy(TrafficPolicy externalTrafficPolicy) {
    this.externalTrafficPolicy = externalTrafficPolicy;
  }
}
