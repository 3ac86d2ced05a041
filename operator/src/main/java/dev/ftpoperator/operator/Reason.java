package dev.ftpoperator.operator;

/**
 * Every reason the operator writes into a condition or an Event, and whether a transition to it is
 * a warning (something a person has to fix) or normal progress.
 */
public enum Reason {
  // AddressAssigned=True: where the address came from
  PassiveAddressSet(false),
  LoadBalancerAddress(false),
  NodeAddress(false),
  ClusterIP(false),
  // AddressAssigned=False
  WaitingForLoadBalancer(false),
  NoNodeAddress(true),
  WaitingForClusterIP(false),
  // Available
  WaitingForAddress(false),
  MinimumReplicasAvailable(false),
  PodsNotReady(false),
  // TransferVerified (the self-test)
  TransferVerified(false),
  SelfTestPending(false),
  SelfTestDisabled(false),
  /** The operator cannot reach the public address but the ClusterIP answers: not "broken". */
  UnreachableFromCluster(false),
  ConnectFailed(true),
  BannerFailed(true),
  TlsFailed(true),
  LoginFailed(true),
  PassiveRefused(true),
  PassiveAddressWrong(true),
  PassivePortOutsideRange(true),
  DataPortUnreachable(true),
  ListingFailed(true),
  // Ready
  Ready(false),
  UsersSecretNotFound(true),
  TlsSecretNotFound(true),
  TlsSecretInvalid(true),
  /** replicas > 1 with a storage.existingClaim that does not exist. */
  ClaimNotFound(true),
  /** replicas > 1 with a storage.existingClaim that is not ReadWriteMany. */
  StorageNotShared(true),
  /** A reconcile failed with an error that may pass; retried with back-off. */
  ReconcileFailed(true),
  /**
   * The API server refused a change for good (see ReconcileFailure); not retried until the spec
   * changes.
   */
  ChangeRefused(true);

  private final boolean warning;

  Reason(boolean warning) {
    this.warning = warning;
  }

  public boolean isWarning() {
    return warning;
  }

  /**
   * The reason of a condition read back from a status; empty for one this operator never writes.
   */
  static java.util.Optional<Reason> parse(String reason) {
    for (Reason r : values()) {
      if (r.name().equals(reason)) {
        return java.util.Optional.of(r);
      }
    }
    return java.util.Optional.empty();
  }
}
