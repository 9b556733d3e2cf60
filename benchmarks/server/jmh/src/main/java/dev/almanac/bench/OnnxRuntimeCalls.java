package dev.almanac.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.almanac.ml.onnx.ArrayTensor;
import dev.almanac.ml.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The ceiling of KServe V2 infer: in-process calls on the classifier's {@code model.onnx}, one row
 * and 32 rows per call, through a plain ONNX Runtime session ({@code ort*}, the session options the
 * server uses: one intra-op thread, sequential) and through ml-core's {@link OnnxModel} ({@code
 * almanac*}, what the server's infer route calls). Throughput in calls per second; rows per second
 * of the batch-32 variants are 32× that.
 *
 * <p>{@code java -jar target/almanac-server-jmh.jar -p model=<bundle>/model.onnx}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OnnxRuntimeCalls {
  @Param("model.onnx")
  public String model;

  private OrtEnvironment env;
  private OrtSession session;
  private OnnxModel almanac;
  private String input;
  private int width;
  private float[] row;
  private float[] batch;

  @Setup
  public void open() throws OrtException {
    System.setProperty("ai.djl.offline", "true");
    // DJL creates the process's ONNX Runtime environment (with its options) first, as in the server
    almanac = OnnxModel.load(Path.of(model));
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    so.setIntraOpNumThreads(1);
    so.setInterOpNumThreads(1);
    so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    session = env.createSession(model, so);
    input = almanac.inputName();
    width = (int) almanac.inputShape()[1];
    row = new float[width];
    batch = new float[32 * width];
    // a few symptoms per row, different rows
    for (int r = 0; r < 32; r++) {
      batch[r * width + (r % width)] = 1;
      batch[r * width + ((r * 7) % width)] = 1;
    }
    System.arraycopy(batch, 0, row, 0, width);
  }

  @TearDown
  public void close() throws OrtException {
    session.close();
    almanac.close();
  }

  private float ort(float[] data, int rows) throws OrtException {
    try (OnnxTensor t =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {rows, width});
        OrtSession.Result r = session.run(Map.of(input, t))) {
      return ((OnnxTensor) r.get(r.size() - 1)).getFloatBuffer().get(0);
    }
  }

  @Benchmark
  public float ortRow() throws OrtException {
    return ort(row, 1);
  }

  @Benchmark
  public float ortBatch32() throws OrtException {
    return ort(batch, 32);
  }

  @Benchmark
  public List<ArrayTensor> almanacRow() {
    return almanac.run(List.of(new ArrayTensor(input, new long[] {1, width}, row)));
  }

  @Benchmark
  public List<ArrayTensor> almanacBatch32() {
    return almanac.run(List.of(new ArrayTensor(input, new long[] {32, width}, batch)));
  }
}
