package dev.almanac.server.api;

import dev.almanac.server.model.BadRequestException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads request JSON with errors that name the field and what was wrong with it. */
final class JsonFields {
  private JsonFields() {}

  static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new BadRequestException("request body is empty; expected a JSON object");
    }
    Object v;
    try {
      v = RequestJson.parse(body);
    } catch (DecodeException e) {
      throw new BadRequestException("malformed JSON: " + firstLine(e.getMessage()));
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new BadRequestException("request body must be a JSON object, got " + kind(v));
  }

  /** Rejects fields outside {@code known} (a constant list: its order is the error message's). */
  static void onlyKnown(JsonObject o, List<String> known) {
    List<String> unknown = null; // allocated only for a request that is about to fail
    for (String k : o.fieldNames()) {
      if (!known.contains(k)) {
        if (unknown == null) {
          unknown = new ArrayList<>();
        }
        unknown.add(k);
      }
    }
    if (unknown != null) {
      throw new BadRequestException("unknown field(s) " + unknown + "; allowed: " + known);
    }
  }

  static String string(JsonObject o, String field, boolean required) {
    Object v = o.getValue(field);
    if (v == null) {
      if (required) {
        throw new BadRequestException("field '" + field + "' is required");
      }
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new BadRequestException("field '" + field + "' must be a string, got " + kind(v));
  }

  static Integer integer(JsonObject o, String field, int min, int max) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || !isIntegral(n)) {
      throw new BadRequestException("field '" + field + "' must be an integer, got " + kind(v));
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      throw new BadRequestException("field '" + field + "' must be between " + min + " and " + max + ", got " + render(n));
    }
    return n.intValue();
  }

  static JsonArray array(JsonObject o, String field, boolean required) {
    Object v = o.getValue(field);
    if (v == null) {
      if (required) {
        throw new BadRequestException("field '" + field + "' is required");
      }
      return null;
    }
    if (v instanceof JsonArray a) {
      return a;
    }
    throw new BadRequestException("field '" + field + "' must be an array, got " + kind(v));
  }

  static double finite(Object v, String where) {
    if (!(v instanceof Number n)) {
      throw new BadRequestException(where + " must be a number, got " + kind(v));
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw new BadRequestException(where + " must be finite, got " + render(n));
    }
    return d;
  }

  static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return true;
    }
    if (n instanceof java.math.BigInteger) {
      return true;
    }
    double d = n.doubleValue();
    return Double.isFinite(d) && d == Math.rint(d);
  }

  static String render(Object v) {
    String s = String.valueOf(v);
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  static String kind(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Number) {
      return "a number";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof JsonArray) {
      return "an array";
    } else if (v instanceof JsonObject) {
      return "an object";
    }
    return v.getClass().getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable body";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
