package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The passive data port range. Container ports, Service ports and the ports advertised in PASV
 * replies are the same numbers.
 */
@ValidationRule(
    value = "self.min <= self.max",
    message = "passivePorts.min must be less than or equal to passivePorts.max")
@ValidationRule(
    value = "self.max - self.min < " + PassivePorts.MAX_PORTS,
    message =
        "passivePorts: at most "
            + PassivePorts.MAX_PORTS
            + " ports; a Kubernetes Service has no port ranges, so every passive port becomes its own"
            + " Service port and container port")
@ValidationRule(
    value =
        "self.min > " + PassivePorts.CONTROL_PORT + " || self.max < " + PassivePorts.CONTROL_PORT,
    message =
        "passivePorts must not contain "
            + PassivePorts.CONTROL_PORT
            + ", the FTP server's control port inside the pod")
@ValidationRule(
    value = "self.min > " + PassivePorts.HTTP_PORT + " || self.max < " + PassivePorts.HTTP_PORT,
    message =
        "passivePorts must not contain "
            + PassivePorts.HTTP_PORT
            + ", the FTP server's health and metrics port inside the pod")
@JsonIgnoreProperties(ignoreUnknown = true)
public class PassivePorts {

  /** A Service enumerates every port, so the CRD bounds the range. */
  public static final int MAX_PORTS = 1000;

  /** The control listener inside the pod (the Service maps 21 and 990 to it). */
  public static final int CONTROL_PORT = 2121;

  /** Health and metrics inside the pod. */
  public static final int HTTP_PORT = 8080;

  @Required
  @Min(1024)
  @Max(65535)
  @JsonPropertyDescription(
      "First passive data port (1024-65535). With service.type NodePort it must lie in the node-port"
          + " range 30000-32767; prefer the lower band (30000-30085 with the default range) that"
          + " Kubernetes keeps for fixed node ports, so no other Service has taken them.")
  private int min;

  @Required
  @Min(1024)
  @Max(65535)
  @JsonPropertyDescription(
      "Last passive data port, inclusive (1024-65535, at most "
          + MAX_PORTS
          + " ports in all). Keep the range small behind cloud load balancers that cap listeners"
          + " (an AWS NLB takes 50: port 21 plus 49 passive ports).")
  private int max;

  public PassivePorts() {}

  public PassivePorts(int min, int max) {
    this.min = min;
    this.max = max;
  }

  public int getMin() {
    return min;
  }

  public void setMin(int min) {
    this.min = min;
  }

  public int getMax() {
    return max;
  }

  public void setMax(int max) {
    this.max = max;
  }

  /** Number of ports in the range. */
  @JsonIgnore
  public int count() {
    return max - min + 1;
  }

  /** The range as the server's FTP_PASSIVE_PORTS and the status show it: {@code min-max}. */
  @Override
  public String toString() {
    return min + "-" + max;
  }
}
