package dev.almanac.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.List;

/**
 * Collects nodes, initializers and graph inputs/outputs and produces a ModelProto with the opsets
 * every Almanac graph uses (ai.onnx 17; ai.onnx.ml 3, or 5 for a graph with a TreeEnsemble node:
 * accepted by onnxruntime 1.22+ and onnx 1.19).
 */
public final class OnnxGraphBuilder {
  public static final String ML_DOMAIN = "ai.onnx.ml";
  public static final long IR_VERSION = 8;
  public static final long ONNX_OPSET = 17;
  public static final long ML_OPSET = 3;

  /**
   * The ai.onnx.ml opset of TreeEnsemble, which replaces TreeEnsembleRegressor there (deprecated
   * from 5 on, so a graph holds one or the other).
   */
  public static final long ML_OPSET_TREE_ENSEMBLE = 5;

  /** Symbolic batch dimension of every input and output. */
  public static final String BATCH_DIM = "N";

  private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
  private int nodeCounter;
  private long mlOpset = ML_OPSET;

  public OnnxGraphBuilder(String graphName) {
    graph.setName(graphName);
  }

  /** The standard tabular input: float[N, nFeatures] named "features". */
  public OnnxGraphBuilder featuresInput(int nFeatures) {
    graph.addInput(valueInfo("features", OnnxMl.TensorProto.DataType.FLOAT, nFeatures));
    return this;
  }

  public OnnxGraphBuilder floatOutput(String name, long columns) {
    graph.addOutput(valueInfo(name, OnnxMl.TensorProto.DataType.FLOAT, columns));
    return this;
  }

  /** A one-dimensional int64[N] output (class labels). */
  public OnnxGraphBuilder int64VectorOutput(String name) {
    graph.addOutput(valueInfo(name, OnnxMl.TensorProto.DataType.INT64, -1));
    return this;
  }

  public OnnxGraphBuilder floatInitializer(String name, long[] dims, float[] values) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    graph.addInitializer(t);
    return this;
  }

  public OnnxGraphBuilder int64Initializer(String name, long[] dims, long[] values) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return this;
  }

  public OnnxGraphBuilder node(
      String opType,
      String domain,
      List<String> inputs,
      List<String> outputs,
      OnnxMl.AttributeProto... attributes) {
    OnnxMl.NodeProto.Builder n =
        OnnxMl.NodeProto.newBuilder()
            .setOpType(opType)
            .setName(opType + "_" + nodeCounter++)
            .addAllInput(inputs)
            .addAllOutput(outputs);
    if (!domain.isEmpty()) {
      n.setDomain(domain);
    }
    for (OnnxMl.AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return this;
  }

  public OnnxGraphBuilder node(
      String opType,
      List<String> inputs,
      List<String> outputs,
      OnnxMl.AttributeProto... attributes) {
    return node(opType, "", inputs, outputs, attributes);
  }

  /** The ai.onnx.ml opset this graph's nodes need (default {@link #ML_OPSET}). */
  public OnnxGraphBuilder mlOpset(long version) {
    this.mlOpset = version;
    return this;
  }

  public OnnxMl.ModelProto build(String docString) {
    return model(graph.build(), docString, mlOpset);
  }

  /** Wraps any graph into a model with the standard opset imports. */
  public static OnnxMl.ModelProto model(OnnxMl.GraphProto graph, String docString) {
    return model(graph, docString, ML_OPSET);
  }

  /** Wraps a graph into a model importing ai.onnx.ml at {@code mlOpset}. */
  public static OnnxMl.ModelProto model(OnnxMl.GraphProto graph, String docString, long mlOpset) {
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("almanac-trainer")
        .setProducerVersion("0.1.0")
        .setDocString(docString)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNX_OPSET))
        .addOpsetImport(
            OnnxMl.OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(mlOpset))
        .setGraph(graph)
        .build();
  }

  /** columns &lt; 0 means a rank-1 tensor [N]. */
  static OnnxMl.ValueInfoProto valueInfo(
      String name, OnnxMl.TensorProto.DataType type, long columns) {
    OnnxMl.TensorShapeProto.Builder shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
    if (columns >= 0) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns));
    }
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber())
                        .setShape(shape)))
        .build();
  }
}
