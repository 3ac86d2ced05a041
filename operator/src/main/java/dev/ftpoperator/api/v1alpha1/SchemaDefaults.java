package dev.ftpoperator.api.v1alpha1;

import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Applies the schema's defaults (the {@link Default} annotations the CRD is generated from) to an
 * object that did not pass admission, e.g. one built in a test or read through an older CRD. The
 * annotations are the only place a default is written down: the API server applies them from the
 * CRD, this class from the same annotations, so the two cannot disagree.
 */
public final class SchemaDefaults {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private SchemaDefaults() {}

  /** A deep copy of {@code value} with every unset field that has a schema default filled in. */
  public static <T> T applied(T value) {
    @SuppressWarnings("unchecked")
    T copy = (T) JSON.convertValue(value, value.getClass());
    fill(copy);
    return copy;
  }

  private static void fill(Object target) {
    for (Field field : target.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      try {
        Object current = field.get(target);
        Default declared = field.getAnnotation(Default.class);
        if (current == null && declared != null) {
          current = parse(declared.value(), field.getType());
          field.set(target, current);
        }
        // nested API objects carry defaults of their own, which the API server applies too
        if (current != null && isApiObject(field.getType())) {
          fill(current);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot default " + field, e);
      }
    }
  }

  private static boolean isApiObject(Class<?> type) {
    return type.getPackage() == SchemaDefaults.class.getPackage() && !type.isEnum();
  }

  private static Object parse(String value, Class<?> type) {
    if (type == String.class || type.isEnum()) {
      return JSON.convertValue(value, type);
    }
    return JSON.unmarshal(value, type);
  }
}
