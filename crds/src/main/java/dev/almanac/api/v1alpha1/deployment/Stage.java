package dev.almanac.api.v1alpha1.deployment;

/** MLflow registry stages (deprecated upstream in favour of aliases, still widely used). */
public enum Stage {
  None,
  Staging,
  Production,
  Archived
}
