package dev.ftpoperator.operator;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * java-operator-sdk's Micrometer metrics (reconciliations started, succeeded, failed, retried,
 * their durations, events received, queue sizes) per controller, served with the operator's own on
 * /q/metrics. Not per FtpServer, which Quarkus Operator SDK's default does: with 1,000 FtpServers
 * that would be thousands of series, and their meters in the operator's heap.
 */
@Singleton
public class OperatorMetrics {

  /**
   * Meters that break Prometheus' naming rules (promtool check metrics): a unit abbreviated, a
   * gauge named _count. Their information is in process_cpu_usage and jvm_* anyway.
   */
  static final Set<String> DENIED = Set.of("process.cpu.time", "system.cpu.count");

  @Produces
  @Singleton
  Metrics metrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /**
   * What promtool asks of every family: a help text (several libraries register none; Micrometer
   * writes quotes that the text format cannot carry), and a histogram without client-side quantiles
   * (java-operator-sdk's timer asks for both; the buckets give histogram_quantile).
   */
  @Produces
  @Singleton
  MeterFilter prometheusConventions() {
    return new MeterFilter() {
      @Override
      public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
        return DENIED.contains(id.getName())
            ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
            : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
      }

      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
          return id;
        }
        String help = id.getName().replace('.', ' ');
        return new Meter.Id(
            id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
      }

      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (config.isPublishingHistogram() && config.getPercentiles() != null) {
          return DistributionStatisticConfig.builder()
              .percentiles(new double[0])
              .build()
              .merge(config);
        }
        return config;
      }
    };
  }
}
