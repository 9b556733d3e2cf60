package dev.almanac.api.v1alpha1.pipeline;

/** Automatic promotes when gates pass; Manual waits for the almanac.dev/promote annotation. */
public enum PromotionMode {
  Automatic,
  Manual;
}
