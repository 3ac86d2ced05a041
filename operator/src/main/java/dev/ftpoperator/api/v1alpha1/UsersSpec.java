package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the FTP accounts come from. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class UsersSpec {

  @Required
  @JsonPropertyDescription(
      "Secret holding the FTP accounts, mounted read-only at /etc/ftp/users: each key is a user name,"
          + " its value the password on the first line (plain, or bcrypt $2a$/$2b$/$2y$, or {pbkdf2}),"
          + " optionally followed by key=value lines such as readonly=true or home=<dir under the data root>."
          + " Changes to the Secret are picked up by the running server.")
  private SecretRef secretRef;

  public UsersSpec() {}

  public UsersSpec(String secretName) {
    this.secretRef = new SecretRef(secretName);
  }

  public SecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretRef secretRef) {
    this.secretRef = secretRef;
  }
}
