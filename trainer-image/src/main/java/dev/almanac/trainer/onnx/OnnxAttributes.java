package dev.almanac.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/** Factories for typed ONNX node attributes. */
public final class OnnxAttributes {
  private OnnxAttributes() {}

  public static OnnxMl.AttributeProto ofInt(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  public static OnnxMl.AttributeProto ofString(String name, String value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
        .build();
  }

  public static OnnxMl.AttributeProto ofInts(String name, long[] values) {
    OnnxMl.AttributeProto.Builder b =
        OnnxMl.AttributeProto.newBuilder()
            .setName(name)
            .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      b.addInts(v);
    }
    return b.build();
  }

  public static OnnxMl.AttributeProto ofFloats(String name, float[] values) {
    OnnxMl.AttributeProto.Builder b =
        OnnxMl.AttributeProto.newBuilder()
            .setName(name)
            .setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
    for (float v : values) {
      b.addFloats(v);
    }
    return b.build();
  }

  public static OnnxMl.AttributeProto ofStrings(String name, String[] values) {
    OnnxMl.AttributeProto.Builder b =
        OnnxMl.AttributeProto.newBuilder()
            .setName(name)
            .setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
    for (String v : values) {
      b.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
    }
    return b.build();
  }
}
