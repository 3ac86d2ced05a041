package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer cache without metadata.managedFields, for the kinds whose field ownership nothing in
 * the operator reads: FtpServers (the status goes by server-side apply from a fresh object), the
 * settings ConfigMaps (java-operator-sdk creates, updates and matches ConfigMaps by their content,
 * not by server-side apply), the Secrets (created once, never updated), and the Pods and Nodes
 * (only read). Managed fields are a large part of every cached object (make bench-operator: most of
 * the heap's maps). The caches of the server-side-applied dependents keep theirs, shared ({@link
 * StoreSharingManagedFields}): java-operator-sdk's SSA matcher compares only the fields the
 * operator's entry owns. The rest is compacted ({@link CompactModel}).
 */
public class StoreWithoutManagedFields<T extends HasMetadata> extends BasicItemStore<T> {

  private final CompactModel compaction = new CompactModel();

  public StoreWithoutManagedFields() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public T put(String key, T resource) {
    resource.getMetadata().setManagedFields(null);
    compaction.compact(resource);
    return super.put(key, resource);
  }
}
