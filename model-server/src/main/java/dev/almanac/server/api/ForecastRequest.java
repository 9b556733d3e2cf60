package dev.almanac.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.almanac.server.model.BadRequestException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code POST /v1/forecast} body.
 *
 * @param horizon null for the model's default
 * @param history null: the history the model was trained on
 * @param model null: the one forecast model served
 */
record ForecastRequest(String series, Integer horizon, double[] history, String model) {
  private static final List<String> FIELDS = List.of("series", "horizon", "history", "model");
  private static final int MAX_HISTORY = 100_000;

  static ForecastRequest read(JsonBody body, int maxHorizon) throws IOException {
    String series = null;
    Long horizon = null;
    double[] history = null;
    String model = null;
    JsonBody.Fields fields = body.fields("", FIELDS);
    for (String f; (f = fields.next()) != null; ) {
      switch (f) {
        case "series" -> series = body.string("", f);
        case "horizon" -> horizon = body.integer("", f, 1, maxHorizon);
        case "history" -> history = body.array("", f) ? history(body.parser()) : null;
        default -> model = body.string("", f);
      }
    }
    if (series == null) {
      throw new BadRequestException("field 'series' is required");
    }
    return new ForecastRequest(series, horizon == null ? null : horizon.intValue(), history, model);
  }

  private static double[] history(JsonParser p) throws IOException {
    double[] values = new double[64];
    int n = 0;
    for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; n++) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw new BadRequestException(
            "history[" + n + "] must be a number, got " + JsonBody.kind(t));
      }
      double v = p.getDoubleValue();
      if (!Double.isFinite(v)) {
        throw new BadRequestException(
            "history[" + n + "] must be finite, got " + JsonBody.describe(p));
      }
      if (n == MAX_HISTORY) {
        throw new BadRequestException("field 'history' has more than " + MAX_HISTORY + " values");
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n] = v;
    }
    return Arrays.copyOf(values, n);
  }
}
