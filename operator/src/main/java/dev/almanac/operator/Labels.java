package dev.almanac.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/** Label keys and the label sets of every object the operator creates. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PIPELINE = "almanac.dev/pipeline";
  public static final String RUN = "almanac.dev/run";
  public static final String DEPLOYMENT = "almanac.dev/deployment";
  public static final String MANAGER = "almanac-operator";

  /** Informer selector: only objects this operator created. */
  public static final String MANAGED_BY_SELECTOR = MANAGED_BY + "=" + MANAGER;

  private Labels() {}

  public static Map<String, String> common(HasMetadata owner, String name, String component) {
    var labels = new LinkedHashMap<String, String>();
    labels.put(NAME, name);
    labels.put(INSTANCE, owner.getMetadata().getName());
    labels.put(COMPONENT, component);
    labels.put(PART_OF, "almanac");
    labels.put(MANAGED_BY, MANAGER);
    return labels;
  }
}
