package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.almanac.server.model.BadRequestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code POST /v1/predict} body.
 *
 * @param topK null for the default
 * @param model null: the one classification model served
 */
record PredictRequest(List<String> symptoms, Integer topK, String model) {
  private static final List<String> FIELDS = List.of("symptoms", "topK", "model");
  private static final int MAX_SYMPTOMS = 1000;

  static PredictRequest read(JsonBody body) throws IOException {
    List<String> symptoms = null;
    Long topK = null;
    String model = null;
    JsonBody.Fields fields = body.fields("", FIELDS);
    for (String f; (f = fields.next()) != null; ) {
      switch (f) {
        case "symptoms" -> symptoms = body.array("", f) ? symptoms(body.parser()) : null;
        case "topK" -> topK = body.integer("", f, 1, 1000);
        default -> model = body.string("", f);
      }
    }
    if (symptoms == null) {
      throw new BadRequestException("field 'symptoms' is required");
    }
    if (symptoms.isEmpty()) {
      throw new BadRequestException("field 'symptoms' is empty; name at least one symptom");
    }
    return new PredictRequest(symptoms, topK == null ? null : topK.intValue(), model);
  }

  private static List<String> symptoms(JsonParser p) throws IOException {
    List<String> symptoms = new ArrayList<>();
    for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
      if (t != JsonToken.VALUE_STRING) {
        throw new BadRequestException(
            "symptoms[" + symptoms.size() + "] must be a string, got " + JsonBody.kind(t));
      }
      if (symptoms.size() == MAX_SYMPTOMS) {
        throw new BadRequestException(
            "field 'symptoms' has more than " + MAX_SYMPTOMS + " entries");
      }
      symptoms.add(p.getText());
    }
    return symptoms;
  }
}
