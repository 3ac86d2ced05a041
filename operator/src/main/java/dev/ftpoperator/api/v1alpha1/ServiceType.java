package dev.ftpoperator.api.v1alpha1;

/** How the FTP server is exposed. */
public enum ServiceType {
  /** A cloud or bare-metal load balancer gives the address (the default). */
  LoadBalancer,
  /** Node ports equal to the passive ports; the address is a node's. */
  NodePort,
  /** Inside the cluster only. */
  ClusterIP
}
