package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Active mode (PORT/EPRT). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class ActiveMode {

  @Default("true")
  @JsonPropertyDescription(
      "Allow active mode (PORT/EPRT). Data connections then go from the server to the client, and"
          + " only to the control connection's client address (bounce protection). Default true.")
  private Boolean enabled;

  public ActiveMode() {}

  public ActiveMode(boolean enabled) {
    this.enabled = enabled;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }
}
