package dev.ftpoperator.api.v1alpha1;

/** The Service's externalTrafficPolicy. */
public enum TrafficPolicy {
  /** Keeps the client's source IP (the default). */
  Local,
  /** Spreads over all nodes, but the client's source IP is lost (SNAT). */
  Cluster
}
