package dev.almanac.trainer.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;

/** Runs an exported graph in ONNX Runtime (the engine the model server uses through DJL). */
public final class OrtRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  public OrtRunner(OnnxMl.ModelProto model) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    session = env.createSession(model.toByteArray(), o);
  }

  public static float[][] toFloat(double[][] rows) {
    float[][] f = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      f[i] = new float[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        f[i][j] = (float) rows[i][j];
      }
    }
    return f;
  }

  /** "prediction" column of a regressor. */
  public double[] regress(double[][] rows) throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, toFloat(rows));
        OrtSession.Result r = session.run(Map.of("features", t))) {
      float[][] out = (float[][]) r.get("prediction").orElseThrow().getValue();
      double[] p = new double[rows.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = out[i][0];
      }
      return p;
    }
  }

  public record Classified(long[] labels, float[][] probabilities) {}

  public Classified classify(double[][] rows) throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, toFloat(rows));
        OrtSession.Result r = session.run(Map.of("features", t))) {
      return new Classified(
          (long[]) r.get("label").orElseThrow().getValue(),
          (float[][]) r.get("probabilities").orElseThrow().getValue());
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
