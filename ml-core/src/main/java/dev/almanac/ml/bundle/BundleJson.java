package dev.almanac.ml.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.LocalDate;

/** The JSON mapper for bundle files (no jsr310 module needed: dates are ISO strings). */
public final class BundleJson {
  private BundleJson() {}

  public static ObjectMapper mapper() {
    SimpleModule dates = new SimpleModule("iso-dates");
    dates.addSerializer(LocalDate.class, ToStringSerializer.instance);
    dates.addDeserializer(
        LocalDate.class,
        new FromStringDeserializer<LocalDate>(LocalDate.class) {
          private static final long serialVersionUID = 1L;

          @Override
          protected LocalDate _deserialize(
              String value, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
            return LocalDate.parse(value);
          }
        });
    return new ObjectMapper()
        .registerModule(dates)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
