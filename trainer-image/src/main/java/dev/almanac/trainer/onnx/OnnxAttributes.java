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

  /**
   * A tensor attribute (ai.onnx.ml TreeEnsemble takes its splits, modes and weights as tensors).
   */
  public static OnnxMl.AttributeProto ofTensor(String name, float[] values) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .addDims(values.length);
    for (float v : values) {
      t.addFloatData(v);
    }
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
        .setT(t)
        .build();
  }

  /** A uint8 tensor attribute, stored as raw bytes. */
  public static OnnxMl.AttributeProto ofUint8Tensor(String name, byte[] values) {
    OnnxMl.TensorProto t =
        OnnxMl.TensorProto.newBuilder()
            .setDataType(OnnxMl.TensorProto.DataType.UINT8.getNumber())
            .addDims(values.length)
            .setRawData(ByteString.copyFrom(values))
            .build();
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
        .setT(t)
        .build();
  }
}
