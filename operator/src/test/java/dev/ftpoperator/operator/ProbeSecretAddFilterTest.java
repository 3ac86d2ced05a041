package dev.ftpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeSecretAddFilterTest {

  static Secret labelled(Map<String, String> labels) {
    return new SecretBuilder().withNewMetadata().withLabels(labels).endMetadata().build();
  }

  @Test
  void dropsTheAddOfAProbeSecretOnly() {
    ProbeSecretAddFilter filter = new ProbeSecretAddFilter();
    assertThat(filter.accept(labelled(Map.of(Names.LABEL_COMPONENT, Names.COMPONENT_PROBE))))
        .isFalse();
    assertThat(filter.accept(labelled(Map.of(Names.LABEL_COMPONENT, "cluster")))).isTrue();
    assertThat(filter.accept(new SecretBuilder().withNewMetadata().endMetadata().build())).isTrue();
  }
}
