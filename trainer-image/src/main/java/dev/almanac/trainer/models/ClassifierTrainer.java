package dev.almanac.trainer.models;

/** Fits one classification model type; labels are 0..nClasses-1. */
public interface ClassifierTrainer {
  String type();

  TrainedClassifier fit(double[][] x, int[] y, int nClasses, FitOptions o);
}
