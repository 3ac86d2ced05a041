package dev.ftpoperator.operator;

import io.fabric8.kubernetes.client.CustomResource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a freshly read Kubernetes object smaller before an informer caches it: its strings are
 * interned (1,000 FtpServers' objects repeat the same namespace, labels, image, ports, probe and
 * security settings), and the empty additionalProperties map every fabric8 model object carries is
 * replaced by the one shared empty map. Reads see the same values; a write into a shared empty map
 * throws instead of changing other objects (nothing writes into cached objects).
 */
final class CompactModel {

  private static final String ADDITIONAL_PROPERTIES = "additionalProperties";

  /** The instance fields of each model class, superclasses' included, accessible. */
  private final ClassValue<List<Field>> fields =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> all = new ArrayList<>();
          for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
              int modifiers = f.getModifiers();
              if (!Modifier.isStatic(modifiers)
                  && !Modifier.isFinal(modifiers)
                  && !f.getType().isPrimitive()) {
                f.setAccessible(true);
                all.add(f);
              }
            }
          }
          return List.copyOf(all);
        }
      };

  /**
   * fabric8's model and the FtpServer's own API with its CustomResource base: plain beans, every
   * field a JSON property.
   */
  static boolean isModel(Class<?> type) {
    String name = type.getName();
    return name.startsWith("io.fabric8.kubernetes.api.model.")
        || name.startsWith("dev.ftpoperator.api.")
        || type == CustomResource.class;
  }

  /** Compacts the object in place; it must not be shared yet. */
  void compact(Object model) {
    if (model == null || model instanceof Enum<?> || !isModel(model.getClass())) {
      return;
    }
    try {
      for (Field f : fields.get(model.getClass())) {
        Object value = f.get(model);
        if (value instanceof String s) {
          f.set(model, s.intern());
        } else if (value instanceof Map<?, ?> map
            && map.isEmpty()
            && ADDITIONAL_PROPERTIES.equals(f.getName())) {
          f.set(model, Collections.emptyMap());
        } else {
          compactMember(value);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot compact " + model.getClass().getName(), e);
    }
  }

  /**
   * Members of the lists and maps Jackson made; other collections (the unmodifiable shared field
   * sets) are left alone.
   */
  @SuppressWarnings("unchecked")
  private void compactMember(Object value) {
    if (value instanceof ArrayList<?> list) {
      ((List<Object>) list).replaceAll(this::compacted);
    } else if (value instanceof HashMap<?, ?> map) {
      ((Map<Object, Object>) map).replaceAll((k, v) -> compacted(v));
    } else {
      compact(value);
    }
  }

  private Object compacted(Object value) {
    if (value instanceof String s) {
      return s.intern();
    }
    compactMember(value);
    return value;
  }
}
