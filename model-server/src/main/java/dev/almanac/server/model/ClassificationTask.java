package dev.almanac.server.model;

import java.util.List;
import java.util.Map;

/** What a symptom classifier offers the routes and the dashboard. */
public interface ClassificationTask {
  /** Symptom names a request may use (display spelling). */
  List<String> symptoms();

  List<String> classes();

  /** The names in {@code symptoms} the model does not know (empty when all are known). */
  List<String> unknown(List<String> symptoms);

  /** Top-{@code topK} diagnoses of several symptom lists in one model call (dynamic batching). */
  List<List<Diagnosis>> predictBatch(List<List<String>> requests, int topK);

  /** Test-split metrics (accuracy, log loss, ...). */
  Map<String, Double> metrics();

  record Diagnosis(
      String disease, double probability, String description, List<String> precautions) {}
}
