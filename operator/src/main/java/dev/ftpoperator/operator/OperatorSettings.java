package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator-level settings the dependents need, as a plain value (the dependents are also built
 * by plain java-operator-sdk in tests, without Quarkus' CDI). In the running operator they come
 * from {@link FtpOperatorConfig} (application.properties / environment).
 */
public record OperatorSettings(String serverImage, ResourceRequirements defaultResources) {

  public static final String DEFAULT_SERVER_IMAGE =
      "localhost/ftp-operator/ftp-server:0.1.0-SNAPSHOT";

  private static volatile OperatorSettings current = defaults();

  /** The built-in defaults, the same as application.properties. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(
        DEFAULT_SERVER_IMAGE,
        resources(
            Optional.of("50m"), Optional.of("128Mi"), Optional.empty(), Optional.of("512Mi")));
  }

  public static OperatorSettings current() {
    return current;
  }

  static void use(OperatorSettings settings) {
    current = settings;
  }

  static OperatorSettings from(FtpOperatorConfig config) {
    FtpOperatorConfig.Resources r = config.defaultResources();
    return new OperatorSettings(
        config.serverImage(),
        resources(
            r.requests().cpu(), r.requests().memory(), r.limits().cpu(), r.limits().memory()));
  }

  static ResourceRequirements resources(
      Optional<String> requestCpu,
      Optional<String> requestMemory,
      Optional<String> limitCpu,
      Optional<String> limitMemory) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requestCpu.ifPresent(v -> requests.put("cpu", new Quantity(v)));
    requestMemory.ifPresent(v -> requests.put("memory", new Quantity(v)));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    limitCpu.ifPresent(v -> limits.put("cpu", new Quantity(v)));
    limitMemory.ifPresent(v -> limits.put("memory", new Quantity(v)));
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    if (!requests.isEmpty()) {
      builder.withRequests(requests);
    }
    if (!limits.isEmpty()) {
      builder.withLimits(limits);
    }
    return builder.build();
  }
}
