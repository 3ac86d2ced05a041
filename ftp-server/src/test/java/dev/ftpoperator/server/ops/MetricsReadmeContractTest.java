package dev.ftpoperator.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ftp-server/README.md's list of metrics is what {@link ServerMetrics} exposes, family for family.
 */
class MetricsReadmeContractTest {

  private static final Pattern FAMILY = Pattern.compile("^# TYPE (\\S+) ", Pattern.MULTILINE);
  private static final Pattern NAME = Pattern.compile("`(ftp_[a-z_]+)[`{]");

  @Test
  void theReadmeNamesEveryMetricFamilyOfALoneServerAndOfAReplicaAndNoOther() throws IOException {
    ServerMetrics metrics = new ServerMetrics();
    metrics.enableRelay(List.of("unknown-port"));
    Set<String> exposed = new TreeSet<>();
    Matcher family = FAMILY.matcher(metrics.prometheusText());
    while (family.find()) {
      exposed.add(family.group(1));
    }

    assertThat(documented()).isEqualTo(exposed);
  }

  /** The metric names in the README's {@code GET /metrics} item, up to the next item. */
  private static Set<String> documented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("- `GET /metrics`");
    assertThat(start).as("the README's GET /metrics item").isNotNegative();
    int end = readme.indexOf("\n- ", start + 1);
    Set<String> names = new TreeSet<>();
    Matcher name = NAME.matcher(readme.substring(start, end));
    while (name.find()) {
      names.add(name.group(1));
    }
    return names;
  }
}
