package dev.ftpoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class SchemaDefaultsTest {

  static FtpServerSpec minimal() {
    return Serialization.unmarshal(
        "users: {secretRef: {name: u}}\npassivePorts: {min: 30000, max: 30009}\n",
        FtpServerSpec.class);
  }

  @Test
  void fillsEveryUnsetFieldWithItsSchemaDefaultIncludingNestedObjects() {
    FtpServerSpec spec = SchemaDefaults.applied(minimal());
    assertThat(spec.getAnonymous()).isFalse();
    assertThat(spec.getReplicas()).isEqualTo(1);
    assertThat(spec.getActiveMode().getEnabled()).isTrue();
    assertThat(spec.getService().getType()).isEqualTo(ServiceType.LoadBalancer);
    assertThat(spec.getService().getExternalTrafficPolicy()).isEqualTo(TrafficPolicy.Local);
    assertThat(spec.getStorage().getSize()).isEqualTo("1Gi");
    assertThat(spec.getStorage().getEmptyDir()).isFalse();
    // objects without a default stay unset: no TLS, no users for an anonymous server
    assertThat(spec.getTls()).isNull();
    assertThat(spec.getPassiveAddress()).isNull();
  }

  @Test
  void keepsWhatIsSetAndDefaultsInsideAnObjectTheUserStarted() {
    FtpServerSpec spec = minimal();
    spec.setTls(new TlsSpec());
    spec.getTls().setSecretRef(new SecretRef("cert"));
    spec.setStorage(new StorageSpec());
    spec.getStorage().setSize("10Gi");
    FtpServerSpec defaulted = SchemaDefaults.applied(spec);
    assertThat(defaulted.getStorage().getSize()).isEqualTo("10Gi");
    assertThat(defaulted.getStorage().getEmptyDir()).isFalse();
    assertThat(defaulted.getTls().getMode()).isEqualTo(TlsMode.Explicit);
    assertThat(defaulted.getTls().getRequireSessionReuse()).isTrue();
  }

  @Test
  void leavesItsInputUntouched() {
    FtpServerSpec spec = minimal();
    SchemaDefaults.applied(spec);
    assertThat(spec.getService()).isNull();
    assertThat(spec.getAnonymous()).isNull();
  }
}
