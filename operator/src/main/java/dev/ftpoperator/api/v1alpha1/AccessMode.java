package dev.ftpoperator.api.v1alpha1;

/** Access mode of the data claim the operator creates. */
public enum AccessMode {
  /** Mounted by one node at a time (the default): enough for one replica. */
  ReadWriteOnce,
  /**
   * Mounted by pods on any node at once (NFS, CephFS, EFS, Filestore, Azure Files): needed for
   * several replicas, which share the files.
   */
  ReadWriteMany
}
