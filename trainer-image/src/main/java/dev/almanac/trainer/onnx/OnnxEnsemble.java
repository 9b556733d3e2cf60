package dev.almanac.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted sum of regressor graphs as ONE graph: every member keeps its nodes (names prefixed
 * {@code m<i>_}) and reads the shared "features" input; "prediction" = Σ w_i · member_i.
 */
public final class OnnxEnsemble {
  private static final String INPUT = "features";
  private static final String OUTPUT = "prediction";

  private OnnxEnsemble() {}

  public static OnnxMl.ModelProto weightedSum(List<OnnxMl.ModelProto> members, double[] weights) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    if (members.size() != weights.length) {
      throw new IllegalArgumentException(
          members.size() + " members but " + weights.length + " weights");
    }
    OnnxMl.ValueInfoProto input = requireIo(members.get(0), 0);
    OnnxMl.GraphProto.Builder graph =
        OnnxMl.GraphProto.newBuilder().setName("weighted_ensemble").addInput(input);
    Map<String, Long> opsets = new HashMap<>();
    List<String> weighted = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      OnnxMl.ModelProto m = members.get(i);
      OnnxMl.ValueInfoProto in = requireIo(m, i);
      if (!in.getType().equals(input.getType())) {
        throw new IllegalArgumentException(
            "member "
                + i
                + " input type "
                + in.getType()
                + " differs from member 0's "
                + input.getType());
      }
      for (OnnxMl.OperatorSetIdProto o : m.getOpsetImportList()) {
        opsets.merge(o.getDomain(), o.getVersion(), Math::max);
      }
      String prefix = "m" + i + "_";
      OnnxMl.GraphProto g = m.getGraph();
      for (OnnxMl.TensorProto t : g.getInitializerList()) {
        graph.addInitializer(t.toBuilder().setName(prefix + t.getName()));
      }
      for (OnnxMl.NodeProto n : g.getNodeList()) {
        OnnxMl.NodeProto.Builder b =
            n.toBuilder().clearInput().clearOutput().setName(prefix + n.getName());
        n.getInputList().forEach(s -> b.addInput(rename(s, prefix)));
        n.getOutputList().forEach(s -> b.addOutput(rename(s, prefix)));
        graph.addNode(b);
      }
      String w = prefix + "weight";
      graph.addInitializer(
          OnnxMl.TensorProto.newBuilder()
              .setName(w)
              .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
              .addDims(1)
              .addFloatData((float) weights[i]));
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType("Mul")
              .setName(prefix + "weighting")
              .addInput(prefix + OUTPUT)
              .addInput(w)
              .addOutput(prefix + "weighted"));
      weighted.add(prefix + "weighted");
    }
    graph.addNode(
        OnnxMl.NodeProto.newBuilder()
            .setOpType("Sum")
            .setName("ensemble_sum")
            .addAllInput(weighted)
            .addOutput(OUTPUT));
    graph.addOutput(OnnxGraphBuilder.valueInfo(OUTPUT, OnnxMl.TensorProto.DataType.FLOAT, 1));

    OnnxMl.ModelProto.Builder model =
        OnnxGraphBuilder.model(graph.build(), "weighted ensemble of " + members.size() + " members")
            .toBuilder()
            .clearOpsetImport();
    opsets.merge("", OnnxGraphBuilder.ONNX_OPSET, Math::max);
    opsets.forEach(
        (domain, version) ->
            model.addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
    return model.build();
  }

  /**
   * The ensemble of no ML member: "prediction" = 0 for every row of a float[N, nFeatures]
   * "features" input. A statistical-only forecast bundle keeps the bundle layout and the OIP
   * signature with it; its forecasts never run the graph (the ML weight is 0).
   */
  public static OnnxMl.ModelProto zero(int nFeatures) {
    OnnxMl.GraphProto.Builder graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("no_ml_member")
            .addInput(
                OnnxGraphBuilder.valueInfo(INPUT, OnnxMl.TensorProto.DataType.FLOAT, nFeatures))
            .addInitializer(int64s("zero_index", 0))
            .addInitializer(int64s("one_index", 1))
            .addNode(node("Shape", List.of(INPUT), "input_shape"))
            .addNode(node("Slice", List.of("input_shape", "zero_index", "one_index"), "rows"))
            .addNode(
                node("Concat", List.of("rows", "one_index"), "output_shape").toBuilder()
                    .addAttribute(
                        OnnxMl.AttributeProto.newBuilder()
                            .setName("axis")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT)
                            .setI(0)))
            .addNode(
                node("ConstantOfShape", List.of("output_shape"), OUTPUT).toBuilder()
                    .addAttribute(
                        OnnxMl.AttributeProto.newBuilder()
                            .setName("value")
                            .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                            .setT(
                                OnnxMl.TensorProto.newBuilder()
                                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                                    .addDims(1)
                                    .addFloatData(0f))))
            .addOutput(OnnxGraphBuilder.valueInfo(OUTPUT, OnnxMl.TensorProto.DataType.FLOAT, 1));
    return OnnxGraphBuilder.model(graph.build(), "no ML member: prediction 0");
  }

  private static OnnxMl.NodeProto node(String opType, List<String> inputs, String output) {
    return OnnxMl.NodeProto.newBuilder()
        .setOpType(opType)
        .setName(output)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }

  private static OnnxMl.TensorProto int64s(String name, long value) {
    return OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .addDims(1)
        .addInt64Data(value)
        .build();
  }

  private static String rename(String name, String prefix) {
    return name.isEmpty() || name.equals(INPUT) ? name : prefix + name;
  }

  private static OnnxMl.ValueInfoProto requireIo(OnnxMl.ModelProto m, int i) {
    OnnxMl.GraphProto g = m.getGraph();
    boolean inputOk = g.getInputCount() == 1 && g.getInput(0).getName().equals(INPUT);
    boolean outputOk = g.getOutputList().stream().anyMatch(o -> o.getName().equals(OUTPUT));
    if (!inputOk || !outputOk) {
      throw new IllegalArgumentException(
          "ensemble member "
              + i
              + " must have the single input '"
              + INPUT
              + "' and an output '"
              + OUTPUT
              + "'");
    }
    return g.getInput(0);
  }
}
