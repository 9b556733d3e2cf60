package dev.almanac.server.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model loaded by DJL's OnnxRuntime engine. DJL creates the session (engine discovery,
 * natives, session options); batches run on that same {@code OrtSession} directly, because DJL's
 * NDList path adds a copy per tensor and does not report input types, which KServe V2 metadata needs.
 */
public final class OnnxTensorModel implements TensorModel {
  private final Model model;
  private final OrtSession session;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;

  private OnnxTensorModel(Model model, OrtSession session) throws OrtException {
    this.model = model;
    this.session = session;
    this.inputs = specs(session.getInputInfo());
    this.outputs = specs(session.getOutputInfo());
  }

  /** Loads {@code file} (a {@code .onnx} file) with single-threaded operators: parallelism comes from batching and the event loops. */
  public static OnnxTensorModel load(Path file, String name) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("ONNX model file not found: " + file);
    }
    Model m = Model.newInstance(name, "OnnxRuntime");
    try {
      m.load(file, null, Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1", "executionMode", "SEQUENTIAL"));
      return new OnnxTensorModel(m, session((OrtSymbolBlock) m.getBlock()));
    } catch (MalformedModelException | OrtException | RuntimeException e) {
      m.close();
      throw new IOException("cannot load ONNX model " + file + ": " + e.getMessage(), e);
    }
  }

  private static OrtSession session(OrtSymbolBlock block) {
    try {
      Field f = OrtSymbolBlock.class.getDeclaredField("session");
      f.setAccessible(true);
      return (OrtSession) f.get(block);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("DJL OrtSymbolBlock no longer exposes its session", e);
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> info) {
    List<TensorSpec> out = new ArrayList<>();
    for (var e : info.entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo t) {
        out.add(new TensorSpec(e.getKey(), type(t.type), t.getShape()));
      }
    }
    return List.copyOf(out);
  }

  private static DataType type(OnnxJavaType t) {
    return switch (t) {
      case FLOAT -> DataType.FP32;
      case DOUBLE -> DataType.FP64;
      case INT64 -> DataType.INT64;
      case INT32 -> DataType.INT32;
      case BOOL -> DataType.BOOL;
      default -> throw new IllegalArgumentException("ONNX tensor type " + t + " is not supported by the server");
    };
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public String platform() {
    return "onnxruntime_onnx";
  }

  @Override
  public List<Tensor> run(List<Tensor> in) {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (Tensor t : in) {
        feeds.put(t.name(), onnx(t));
      }
      try (OrtSession.Result r = session.run(feeds)) {
        List<Tensor> out = new ArrayList<>(outputs.size());
        for (TensorSpec o : outputs) {
          OnnxValue v = r.get(o.name()).orElseThrow();
          out.add(tensor(o.name(), (OnnxTensor) v));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor onnx(Tensor t) throws OrtException {
    Object d = t.data();
    if (d instanceof float[] a) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(a), t.shape());
    } else if (d instanceof double[] a) {
      return OnnxTensor.createTensor(env, DoubleBuffer.wrap(a), t.shape());
    } else if (d instanceof long[] a) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(a), t.shape());
    } else if (d instanceof int[] a) {
      return OnnxTensor.createTensor(env, IntBuffer.wrap(a), t.shape());
    }
    boolean[] b = (boolean[]) d;
    ByteBuffer buf = ByteBuffer.allocateDirect(b.length).order(ByteOrder.nativeOrder());
    for (boolean v : b) {
      buf.put((byte) (v ? 1 : 0));
    }
    buf.rewind();
    return OnnxTensor.createTensor(env, buf, t.shape(), OnnxJavaType.BOOL);
  }

  private static Tensor tensor(String name, OnnxTensor v) {
    TensorInfo info = v.getInfo();
    long[] shape = info.getShape();
    return switch (info.type) {
      case FLOAT -> {
        FloatBuffer b = v.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        yield new Tensor(name, DataType.FP32, shape, a);
      }
      case DOUBLE -> {
        DoubleBuffer b = v.getDoubleBuffer();
        double[] a = new double[b.remaining()];
        b.get(a);
        yield new Tensor(name, DataType.FP64, shape, a);
      }
      case INT64 -> {
        LongBuffer b = v.getLongBuffer();
        long[] a = new long[b.remaining()];
        b.get(a);
        yield new Tensor(name, DataType.INT64, shape, a);
      }
      case INT32 -> {
        IntBuffer b = v.getIntBuffer();
        int[] a = new int[b.remaining()];
        b.get(a);
        yield new Tensor(name, DataType.INT32, shape, a);
      }
      case BOOL -> {
        ByteBuffer b = v.getByteBuffer();
        boolean[] a = new boolean[b.remaining()];
        for (int i = 0; i < a.length; i++) {
          a[i] = b.get() != 0;
        }
        yield new Tensor(name, DataType.BOOL, shape, a);
      }
      default -> throw new IllegalStateException("output '" + name + "' has unsupported type " + info.type);
    };
  }

  @Override
  public void close() {
    model.close();
  }
}
