package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the files live (mounted at /data). */
@ValidationRule(
    value = "!(has(self.emptyDir) && self.emptyDir && has(self.existingClaim))",
    message = "storage: choose either emptyDir or existingClaim, not both")
// A claim's class is fixed at creation and a volume cannot shrink: refuse such edits at admission
// instead of letting the claim update fail on every reconcile.
@ValidationRule(
    value =
        "has(self.storageClassName) == has(oldSelf.storageClassName)"
            + " && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message =
        "storage.storageClassName cannot change: a PersistentVolumeClaim's class is fixed when it is"
            + " created. Create a new FtpServer, or set storage.existingClaim to a claim you made")
@ValidationRule(
    value =
        "has(self.accessMode) == has(oldSelf.accessMode)"
            + " && (!has(self.accessMode) || self.accessMode == oldSelf.accessMode)",
    message =
        "storage.accessMode cannot change: a PersistentVolumeClaim's access modes are fixed when"
            + " it is created. Create a new FtpServer, or set storage.existingClaim to a claim you"
            + " made")
@ValidationRule(
    value =
        "!has(self.size) || !has(oldSelf.size)"
            + " || quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
    message =
        "storage.size can only grow: a PersistentVolumeClaim cannot shrink (growing needs a"
            + " StorageClass with allowVolumeExpansion)")
@JsonIgnoreProperties(ignoreUnknown = true)
public class StorageSpec {

  public static final String DEFAULT_SIZE = "1Gi";

  @Default(DEFAULT_SIZE)
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  @JsonPropertyDescription(
      "Size of the PersistentVolumeClaim the operator creates (a quantity such as 10Gi). Default "
          + DEFAULT_SIZE
          + ".")
  private String size;

  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "StorageClass of the created claim; unset uses the cluster's default StorageClass.")
  private String storageClassName;

  @Default("ReadWriteOnce")
  @JsonPropertyDescription(
      "Access mode of the created claim: ReadWriteOnce (default, one node) or ReadWriteMany"
          + " (pods on any node at once; needed for replicas > 1, from a StorageClass that offers"
          + " it). Cannot change once the FtpServer exists. Ignored with existingClaim and"
          + " emptyDir.")
  private AccessMode accessMode;

  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Use this existing PersistentVolumeClaim (same namespace) instead of creating one."
          + " The operator never deletes it. With replicas > 1 it must be ReadWriteMany (checked"
          + " when reconciling: status condition Ready=False, reason StorageNotShared, otherwise).")
  private String existingClaim;

  @Default("false")
  @JsonPropertyDescription(
      "Keep the files in an emptyDir volume instead of a claim: they are lost when the pod goes."
          + " Only for tests and demos.")
  private Boolean emptyDir;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public AccessMode getAccessMode() {
    return accessMode;
  }

  public void setAccessMode(AccessMode accessMode) {
    this.accessMode = accessMode;
  }

  public String getExistingClaim() {
    return existingClaim;
  }

  public void setExistingClaim(String existingClaim) {
    this.existingClaim = existingClaim;
  }

  public Boolean getEmptyDir() {
    return emptyDir;
  }

  public void setEmptyDir(Boolean emptyDir) {
    this.emptyDir = emptyDir;
  }
}
