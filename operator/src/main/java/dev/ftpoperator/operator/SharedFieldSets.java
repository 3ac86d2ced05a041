package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The field sets of cached objects' managedFields, each distinct (sub)set held once. The objects
 * the operator applies have the same field sets but for their owner reference (1,000 Deployments
 * the same pod template's), and those are nested maps of a few hundred entries each. A shared set
 * is unmodifiable (java-operator-sdk's SSA matcher only reads them) and held weakly: it goes when
 * no cached object has it any more.
 */
final class SharedFieldSets {

  private final Map<Map<String, Object>, WeakReference<Map<String, Object>>> known =
      new WeakHashMap<>();

  /** Replaces the resource's field sets by the shared ones equal to them. */
  synchronized void share(HasMetadata resource) {
    if (resource.getMetadata().getManagedFields() == null) {
      return;
    }
    for (ManagedFieldsEntry entry : resource.getMetadata().getManagedFields()) {
      FieldsV1 fields = entry.getFieldsV1();
      if (fields != null && fields.getAdditionalProperties() != null) {
        fields.setAdditionalProperties(shared(fields.getAdditionalProperties()));
      }
    }
  }

  /** Bottom-up: a set's members are shared before the set itself is looked up. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> shared(Map<String, Object> set) {
    Map<String, Object> copy = new LinkedHashMap<>(set);
    copy.replaceAll((k, v) -> v instanceof Map ? shared((Map<String, Object>) v) : v);
    Map<String, Object> candidate = Collections.unmodifiableMap(copy);
    WeakReference<Map<String, Object>> ref = known.get(candidate);
    Map<String, Object> existing = ref == null ? null : ref.get();
    if (existing != null) {
      return existing;
    }
    known.put(candidate, new WeakReference<>(candidate));
    return candidate;
  }
}
