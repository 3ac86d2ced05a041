package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator-level settings the dependents need, as a plain value read from {@link
 * FtpOperatorConfig} (so plain java-operator-sdk, as in tests, can run the reconciler too).
 */
public record OperatorSettings(
    String serverImage, ResourceRequirements defaultResources, SelfTestSettings selfTest) {

  /** See {@link FtpOperatorConfig.SelfTest}. */
  public record SelfTestSettings(
      int threads, Duration timeout, int failuresBeforeNotReady, Duration maxBackoff) {}

  public static OperatorSettings from(FtpOperatorConfig config) {
    FtpOperatorConfig.Resources r = config.defaultResources();
    FtpOperatorConfig.SelfTest t = config.selfTest();
    return new OperatorSettings(
        config.serverImage(),
        resources(r.requests().cpu(), r.requests().memory(), r.limits().cpu(), r.limits().memory()),
        new SelfTestSettings(t.threads(), t.timeout(), t.failuresBeforeNotReady(), t.maxBackoff()));
  }

  /** The same settings with other self-test settings (tests shorten the timeout). */
  public OperatorSettings withSelfTest(SelfTestSettings selfTest) {
    return new OperatorSettings(serverImage, defaultResources, selfTest);
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
