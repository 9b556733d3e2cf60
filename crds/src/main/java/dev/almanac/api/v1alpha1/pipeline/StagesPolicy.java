package dev.almanac.api.v1alpha1.pipeline;

/**
 * Whether promotion also moves MLflow's (deprecated) stages besides the aliases. Auto uses stages
 * only while the registry accepts them (a Unity Catalog-style registry refuses them); Always fails
 * the promotion when they are refused; Never leaves them alone.
 */
public enum StagesPolicy {
  Auto,
  Always,
  Never;
}
