package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * With replicas > 1 and storage.existingClaim, checks that the claim exists and can be shared
 * (ReadWriteMany). Admission cannot see another object, so this runs at reconcile time; a wrong
 * claim is a condition, not a failure. The lookup is a function so the check stays pure.
 */
public final class ClaimCheck {

  static final String SHARED = "ReadWriteMany";

  private ClaimCheck() {}

  public static List<Problem> problems(
      ResolvedFtpServer ftp, Function<String, Optional<PersistentVolumeClaim>> lookup) {
    if (!ftp.replicated() || ftp.existingClaim().isEmpty()) {
      return List.of();
    }
    String name = ftp.existingClaim().get();
    Optional<PersistentVolumeClaim> claim = lookup.apply(name);
    if (claim.isEmpty()) {
      return List.of(
          new Problem(
              Reason.ClaimNotFound,
              "PersistentVolumeClaim "
                  + name
                  + " (spec.storage.existingClaim) not found in namespace "
                  + ftp.namespace()
                  + ": create it with accessModes [ReadWriteMany]; the server pods wait for it"));
    }
    List<String> modes =
        claim.get().getSpec() == null || claim.get().getSpec().getAccessModes() == null
            ? List.of()
            : claim.get().getSpec().getAccessModes();
    if (!modes.contains(SHARED)) {
      return List.of(
          new Problem(
              Reason.StorageNotShared,
              "PersistentVolumeClaim "
                  + name
                  + " (spec.storage.existingClaim) has access modes "
                  + modes
                  + ", but "
                  + ftp.replicas()
                  + " replicas share their files and need ReadWriteMany: a ReadWriteOnce volume"
                  + " attaches to one node only. Use a ReadWriteMany claim, or set replicas: 1"));
    }
    return List.of();
  }
}
