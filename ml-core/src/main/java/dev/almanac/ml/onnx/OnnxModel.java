package dev.almanac.ml.onnx;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An ONNX model served through DJL's OnnxRuntime engine, from a local file only (never a download).
 * Thread-safe: a DJL {@link Predictor} is not, so each call borrows one from a pool (created on
 * demand, at most one per concurrently calling thread) and returns it.
 */
public final class OnnxModel implements AutoCloseable {
  static {
    // Without these DJL phones home on first use; a server or CLI may have set them already.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  private final Path file;
  private final Model model;
  private final ConcurrentLinkedQueue<Predictor<NDList, NDList>> pool = new ConcurrentLinkedQueue<>();
  private final List<Predictor<NDList, NDList>> all = new ArrayList<>();
  private volatile List<List<TensorSpec>> io;
  private volatile boolean closed;

  private OnnxModel(Path file, Model model) {
    this.file = file;
    this.model = model;
  }

  /** Loads {@code file} (a {@code .onnx}) with the OnnxRuntime engine. */
  public static OnnxModel load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("ONNX model not found: " + file);
    }
    Model model = Model.newInstance(file.getFileName().toString(), "OnnxRuntime");
    try {
      model.load(file);
    } catch (IOException | MalformedModelException e) {
      model.close();
      throw new IllegalArgumentException("cannot load ONNX model " + file + ": " + e.getMessage(), e);
    }
    return new OnnxModel(file, model);
  }

  /**
   * Input and output specs, read once on first use: DJL reports input names without shapes or types,
   * so this opens a metadata-only ONNX Runtime session (the trainer's parity check never needs it).
   */
  private List<List<TensorSpec>> io() {
    List<List<TensorSpec>> r = io;
    if (r == null) {
      synchronized (this) {
        if (io == null) {
          try (OrtSession meta = OrtEnvironment.getEnvironment().createSession(file.toString(), new OrtSession.SessionOptions())) {
            io = List.of(specs(meta.getInputInfo()), specs(meta.getOutputInfo()));
          } catch (OrtException e) {
            throw new IllegalStateException("cannot read ONNX metadata of " + file + ": " + e.getMessage(), e);
          }
        }
        r = io;
      }
    }
    return r;
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
    List<TensorSpec> out = new ArrayList<>();
    for (NodeInfo n : nodes.values()) {
      if (n.getInfo() instanceof TensorInfo t) {
        List<Long> shape = new ArrayList<>();
        for (long d : t.getShape()) {
          shape.add(d);
        }
        out.add(new TensorSpec(n.getName(), dtype(t.type), shape));
      }
    }
    return List.copyOf(out);
  }

  private static String dtype(OnnxJavaType t) {
    return switch (t) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      case INT64 -> "int64";
      case INT32 -> "int32";
      case BOOL -> "bool";
      case STRING -> "string";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Graph inputs (name, dtype, shape with -1 for dynamic dimensions), from the ONNX file itself. */
  public List<TensorSpec> inputs() {
    return io().get(0);
  }

  public List<TensorSpec> outputs() {
    return io().get(1);
  }

  public Path file() {
    return file;
  }

  /** Name of the first (only) input, e.g. {@code features}. */
  public String inputName() {
    return inputs().get(0).name();
  }

  /** Declared shape of the input; -1 marks a dynamic dimension. */
  public long[] inputShape() {
    return inputs().get(0).shape().stream().mapToLong(Long::longValue).toArray();
  }

  /** Rows → the first output's first column (a regressor's {@code prediction}). */
  public double[] predict(float[][] rows) {
    float[] out = run(rows).values().iterator().next().data();
    int cols = out.length / Math.max(1, rows.length);
    double[] res = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      res[i] = out[i * cols];
    }
    return res;
  }

  public double predict(float[] row) {
    return predict(new float[][] {row})[0];
  }

  /** Output tensor as floats (int64 outputs converted), with its shape. */
  public record Output(float[] data, long[] shape) {}

  /** Runs the model on a [rows, features] float matrix; returns every output by name, in graph order. */
  public Map<String, Output> run(float[][] rows) {
    int n = rows.length;
    int f = n == 0 ? 0 : rows[0].length;
    float[] flat = new float[n * f];
    for (int i = 0; i < n; i++) {
      if (rows[i].length != f) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, row 0 has " + f);
      }
      System.arraycopy(rows[i], 0, flat, i * f, f);
    }
    return run(flat, new long[] {n, f});
  }

  /** Runs the model on one float tensor of the given shape (KServe V2 infer). */
  public Map<String, Output> run(float[] data, long[] shape) {
    if (closed) {
      throw new IllegalStateException("model " + file + " is closed");
    }
    Predictor<NDList, NDList> p = borrow();
    try (NDManager mgr = NDManager.newBaseManager("OnnxRuntime")) {
      NDArray in = mgr.create(FloatBuffer.wrap(data), new Shape(shape), DataType.FLOAT32);
      
      NDList out = p.predict(new NDList(in));
      Map<String, Output> res = new LinkedHashMap<>();
      int i = 0;
      for (NDArray a : out) {
        String name = a.getName() == null || a.getName().isEmpty() ? "output_" + i : a.getName();
        float[] vals = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
        res.put(name, new Output(vals, a.getShape().getShape()));
        i++;
      }
      out.close();
      return res;
    } catch (TranslateException e) {
      throw new IllegalStateException("ONNX inference failed for " + file + ": " + e.getMessage(), e);
    } finally {
      pool.offer(p);
    }
  }

  private Predictor<NDList, NDList> borrow() {
    Predictor<NDList, NDList> p = pool.poll();
    if (p == null) {
      p = model.newPredictor(new NoopTranslator());
      synchronized (all) {
        all.add(p);
      }
    }
    return p;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (all) {
      all.forEach(Predictor::close);
      all.clear();
    }
    model.close();
  }
}
