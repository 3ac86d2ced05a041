package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The FtpServer informer's cache without metadata.managedFields: nothing in the operator reads them
 * (its status goes by server-side apply from a fresh object), and with kubectl's and the operator's
 * own entries they are a large part of every cached FtpServer. The dependents' caches keep theirs:
 * java-operator-sdk's SSA matcher compares only the fields the operator's entry owns.
 */
public class FtpServerStore extends BasicItemStore<FtpServer> {

  public FtpServerStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public FtpServer put(String key, FtpServer ftp) {
    ftp.getMetadata().setManagedFields(null);
    return super.put(key, ftp);
  }
}
