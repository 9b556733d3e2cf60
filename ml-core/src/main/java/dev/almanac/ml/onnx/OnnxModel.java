package dev.almanac.ml.onnx;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

/**
 * An ONNX model opened by DJL's OnnxRuntime engine, from a local file only (never a download): the
 * one place in Almanac that opens ONNX Runtime sessions (trainer parity checks, bundle forecasts
 * and classifications, the model server's KServe V2 tensors).
 *
 * <p>DJL creates the session (engine discovery, natives, session options); calls then run on that
 * same {@code OrtSession} directly. DJL's {@code Predictor}/{@code NDList} path costs an NDManager,
 * copies and a translator per call, which dominated the 14 single-row calls of a forecast request.
 * By default the session is single-threaded ({@code intraOpNumThreads=1}, sequential execution):
 * ONNX Runtime's default intra-op pool spins its threads after every call, which more than doubled
 * the CPU of a single-row call; servers get their parallelism from concurrent requests instead.
 *
 * <p>Thread-safe (an ONNX Runtime session is); {@link #close()} waits for running calls.
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

  /**
   * Input floats a thread keeps a direct buffer for; larger inputs go through ONNX Runtime's own
   * copy.
   */
  private static final int SCRATCH_FLOATS = 1 << 16;

  private final Path file;
  private final Model model;
  private final OrtSession session;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final String inputName;
  private final Set<String> firstOutput;
  private final StampedLock lifecycle = new StampedLock();
  // one direct input buffer per calling thread: ONNX Runtime otherwise allocates (and the GC later
  // frees) a
  // direct buffer for every heap array it is given
  private final ThreadLocal<FloatBuffer> scratch =
      ThreadLocal.withInitial(
          () ->
              ByteBuffer.allocateDirect(64 * Float.BYTES)
                  .order(ByteOrder.nativeOrder())
                  .asFloatBuffer());
  private final ThreadLocal<RowSlot> rowSlot = new ThreadLocal<>();
  private final Set<RowSlot> rowSlots = ConcurrentHashMap.newKeySet();

  /**
   * One float per row in the first output ([-1, 1] or [-1]): single rows may use pinned tensors.
   */
  private final boolean singleValueOutput;

  private final long[] singleValueShape;
  private volatile boolean closed;

  private OnnxModel(Path file, Model model, OrtSession session) throws OrtException {
    this.file = file;
    this.model = model;
    this.session = session;
    this.inputs = specs(session.getInputInfo());
    this.outputs = specs(session.getOutputInfo());
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("ONNX model " + file + " has no tensor input or output");
    }
    this.inputName = inputs.get(0).name();
    this.firstOutput = Set.of(outputs.get(0).name());
    TensorSpec out0 = outputs.get(0);
    TensorSpec in0 = inputs.get(0);
    List<Long> os = out0.shape();
    boolean oneValue = os.size() == 1 || (os.size() == 2 && os.get(1) == 1L);
    this.singleValueOutput =
        inputs.size() == 1
            && "float32".equals(in0.dtype())
            && in0.shape().size() == 2
            && "float32".equals(out0.dtype())
            && oneValue;
    this.singleValueShape = os.size() == 1 ? new long[] {1} : new long[] {1, 1};
  }

  /**
   * Loads ONNX Runtime (DJL's engine: the native library and its environment, ~0.3 s on a cold JVM)
   * ahead of the first model, e.g. while a server downloads that model. Any thread, any number of
   * times; a failure is left for {@link #load(Path)} to report.
   */
  public static void initRuntime() {
    try {
      ai.djl.engine.Engine.getEngine("OnnxRuntime");
    } catch (RuntimeException | LinkageError e) {
      // the first load fails with the same cause, naming the model
    }
  }

  /** Loads {@code file} (a {@code .onnx}) with single-threaded operators. */
  public static OnnxModel load(Path file) {
    return load(file, 1);
  }

  /**
   * Loads {@code file} with {@code intraOpThreads} threads per call (1: sequential, no thread pool;
   * use more only for large batches run one at a time, e.g. a batch prediction job).
   */
  public static OnnxModel load(Path file, int intraOpThreads) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("ONNX model not found: " + file);
    }
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
    }
    Model model = Model.newInstance(file.getFileName().toString(), "OnnxRuntime");
    try {
      Map<String, String> options =
          intraOpThreads == 1
              ? Map.of(
                  "intraOpNumThreads", "1", "interOpNumThreads", "1", "executionMode", "SEQUENTIAL")
              : Map.of(
                  "intraOpNumThreads", Integer.toString(intraOpThreads), "interOpNumThreads", "1");
      model.load(file, null, options);
      return new OnnxModel(file, model, session((OrtSymbolBlock) model.getBlock()));
    } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException(
          "cannot load ONNX model " + file + ": " + e.getMessage(), e);
    }
  }

  /** DJL keeps the session it created private; this is the only reflective access in Almanac. */
  private static OrtSession session(OrtSymbolBlock block) {
    try {
      Field f = OrtSymbolBlock.class.getDeclaredField("session");
      f.setAccessible(true);
      return (OrtSession) f.get(block);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "DJL's OrtSymbolBlock no longer exposes its ONNX Runtime session", e);
    }
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
      default -> t.name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * Graph inputs (name, dtype, shape with -1 for dynamic dimensions), from the ONNX file itself.
   */
  public List<TensorSpec> inputs() {
    return inputs;
  }

  /** Graph outputs, in graph order. */
  public List<TensorSpec> outputs() {
    return outputs;
  }

  public Path file() {
    return file;
  }

  /** Name of the first (only) input, e.g. {@code features}. */
  public String inputName() {
    return inputName;
  }

  /** Declared shape of the input; -1 marks a dynamic dimension. */
  public long[] inputShape() {
    return inputs.get(0).shape().stream().mapToLong(Long::longValue).toArray();
  }

  /** Rows → the first output's first column (a regressor's {@code prediction}). */
  public double[] predict(float[][] rows) {
    return firstColumn(flatten(rows), rows.length, rows.length == 0 ? 0 : rows[0].length);
  }

  /** One row → the first output's first value. */
  public double predict(float[] row) {
    if (!singleValueOutput) {
      return firstColumn(row, 1, row.length)[0];
    }
    long stamp = enter();
    try {
      RowSlot slot = rowSlot.get();
      if (slot == null || slot.width != row.length) {
        slot = newRowSlot(slot, row.length);
      }
      slot.in.clear();
      slot.in.put(row);
      slot.in.flip();
      try (OrtSession.Result r = session.run(slot.feeds, slot.pinned)) {
        return slot.out.get(0);
      }
    } catch (OrtException e) {
      throw failure(e);
    } finally {
      lifecycle.unlockRead(stamp);
    }
  }

  /**
   * A calling thread's input and output tensors for {@link #predict(float[])}, created once over
   * direct buffers: ONNX Runtime then reads the row and writes the prediction in place, with no
   * tensor objects, native allocations or copies per call (measured: 10.5 → 6.6 µs per call of the
   * covid forest, 5 → 2 µs for a tiny graph; a forecast makes one call per horizon day).
   */
  private static final class RowSlot {
    final int width;
    final FloatBuffer in;
    final FloatBuffer out;
    final OnnxTensor inTensor;
    final OnnxTensor outTensor;
    final Map<String, OnnxTensor> feeds;
    final Map<String, OnnxTensor> pinned;

    RowSlot(OrtEnvironment env, String inputName, String outputName, long[] outShape, int width)
        throws OrtException {
      this.width = width;
      this.in =
          ByteBuffer.allocateDirect(Math.max(1, width) * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      this.out =
          ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      this.inTensor = OnnxTensor.createTensor(env, in, new long[] {1, width});
      try {
        this.outTensor = OnnxTensor.createTensor(env, out, outShape);
      } catch (OrtException | RuntimeException e) {
        inTensor.close();
        throw e;
      }
      this.feeds = Map.of(inputName, inTensor);
      this.pinned = Map.of(outputName, outTensor);
    }

    void close() {
      inTensor.close();
      outTensor.close();
    }
  }

  private RowSlot newRowSlot(RowSlot old, int width) throws OrtException {
    RowSlot slot = new RowSlot(env, inputName, outputs.get(0).name(), singleValueShape, width);
    if (old != null) {
      rowSlots.remove(old);
      old.close();
    }
    rowSlots.add(slot);
    rowSlot.set(slot);
    return slot;
  }

  private double[] firstColumn(float[] flat, int n, int f) {
    long stamp = enter();
    try (OnnxTensor in = floatInput(flat, new long[] {n, f});
        OrtSession.Result r = session.run(Map.of(inputName, in), firstOutput)) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      double[] all = doubles(out);
      int cols = all.length / Math.max(1, n);
      double[] res = new double[n];
      for (int i = 0; i < n; i++) {
        res[i] = all[i * cols];
      }
      return res;
    } catch (OrtException e) {
      throw failure(e);
    } finally {
      lifecycle.unlockRead(stamp);
    }
  }

  /** Output tensor as floats (int64 outputs converted), with its shape. */
  public record Output(float[] data, long[] shape) {}

  /**
   * Runs the model on a [rows, features] float matrix; returns every output by name, in graph
   * order.
   */
  public Map<String, Output> run(float[][] rows) {
    return run(flatten(rows), new long[] {rows.length, rows.length == 0 ? 0 : rows[0].length});
  }

  /**
   * Runs the model on one float tensor of the given shape; returns every output by name, in graph
   * order.
   */
  public Map<String, Output> run(float[] data, long[] shape) {
    long stamp = enter();
    try (OnnxTensor in = floatInput(data, shape);
        OrtSession.Result r = session.run(Map.of(inputName, in))) {
      Map<String, Output> res = new LinkedHashMap<>();
      for (TensorSpec o : outputs) {
        OnnxTensor t = (OnnxTensor) r.get(o.name()).orElseThrow();
        res.put(o.name(), new Output(floats(t), t.getInfo().getShape()));
      }
      return res;
    } catch (OrtException e) {
      throw failure(e);
    } finally {
      lifecycle.unlockRead(stamp);
    }
  }

  /**
   * Runs the model on typed tensors (one per graph input, any order) and returns every tensor
   * output in {@link #outputs()} order (KServe V2 infer).
   */
  public List<ArrayTensor> run(List<ArrayTensor> in) {
    long stamp = enter();
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (ArrayTensor t : in) {
        feeds.put(t.name(), onnx(t));
      }
      try (OrtSession.Result r = session.run(feeds)) {
        List<ArrayTensor> out = new ArrayList<>(outputs.size());
        for (TensorSpec o : outputs) {
          OnnxValue v = r.get(o.name()).orElseThrow();
          out.add(array(o.name(), (OnnxTensor) v));
        }
        return out;
      }
    } catch (OrtException e) {
      throw failure(e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
      lifecycle.unlockRead(stamp);
    }
  }

  private long enter() {
    long stamp = lifecycle.readLock();
    if (closed) {
      lifecycle.unlockRead(stamp);
      throw new IllegalStateException("ONNX model " + file + " is closed");
    }
    return stamp;
  }

  private IllegalStateException failure(OrtException e) {
    return new IllegalStateException(
        "ONNX inference failed for " + file + ": " + e.getMessage(), e);
  }

  private static float[] flatten(float[][] rows) {
    int n = rows.length;
    int f = n == 0 ? 0 : rows[0].length;
    float[] flat = new float[n * f];
    for (int i = 0; i < n; i++) {
      if (rows[i].length != f) {
        throw new IllegalArgumentException(
            "row " + i + " has " + rows[i].length + " features, row 0 has " + f);
      }
      System.arraycopy(rows[i], 0, flat, i * f, f);
    }
    return flat;
  }

  private OnnxTensor floatInput(float[] data, long[] shape) throws OrtException {
    if (data.length > SCRATCH_FLOATS) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }
    FloatBuffer buf = scratch.get();
    if (buf.capacity() < data.length) {
      buf =
          ByteBuffer.allocateDirect(Integer.highestOneBit(data.length) * 2 * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      scratch.set(buf);
    }
    buf.clear();
    buf.put(data);
    buf.flip();
    // a direct buffer is used in place: it must not change until the tensor is closed (same thread,
    // after run)
    return OnnxTensor.createTensor(env, buf, shape);
  }

  private OnnxTensor onnx(ArrayTensor t) throws OrtException {
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

  private static ArrayTensor array(String name, OnnxTensor v) {
    TensorInfo info = v.getInfo();
    long[] shape = info.getShape();
    return switch (info.type) {
      case FLOAT -> new ArrayTensor(name, shape, floats(v));
      case DOUBLE -> {
        DoubleBuffer b = v.getDoubleBuffer();
        double[] a = new double[b.remaining()];
        b.get(a);
        yield new ArrayTensor(name, shape, a);
      }
      case INT64 -> {
        LongBuffer b = v.getLongBuffer();
        long[] a = new long[b.remaining()];
        b.get(a);
        yield new ArrayTensor(name, shape, a);
      }
      case INT32 -> {
        IntBuffer b = v.getIntBuffer();
        int[] a = new int[b.remaining()];
        b.get(a);
        yield new ArrayTensor(name, shape, a);
      }
      case BOOL -> {
        ByteBuffer b = v.getByteBuffer();
        boolean[] a = new boolean[b.remaining()];
        for (int i = 0; i < a.length; i++) {
          a[i] = b.get() != 0;
        }
        yield new ArrayTensor(name, shape, a);
      }
      default ->
          throw new IllegalStateException(
              "output '" + name + "' has unsupported type " + info.type);
    };
  }

  /** Any numeric tensor as floats (a classifier's int64 labels included). */
  private static float[] floats(OnnxTensor t) {
    switch (t.getInfo().type) {
      case FLOAT -> {
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
      }
      default -> {
        double[] d = doubles(t);
        float[] a = new float[d.length];
        for (int i = 0; i < d.length; i++) {
          a[i] = (float) d[i];
        }
        return a;
      }
    }
  }

  private static double[] doubles(OnnxTensor t) {
    return switch (t.getInfo().type) {
      case FLOAT -> {
        FloatBuffer b = t.getFloatBuffer();
        double[] a = new double[b.remaining()];
        for (int i = 0; i < a.length; i++) {
          a[i] = b.get(i);
        }
        yield a;
      }
      case DOUBLE -> {
        DoubleBuffer b = t.getDoubleBuffer();
        double[] a = new double[b.remaining()];
        b.get(a);
        yield a;
      }
      case INT64 -> {
        LongBuffer b = t.getLongBuffer();
        double[] a = new double[b.remaining()];
        for (int i = 0; i < a.length; i++) {
          a[i] = b.get(i);
        }
        yield a;
      }
      case INT32 -> {
        IntBuffer b = t.getIntBuffer();
        double[] a = new double[b.remaining()];
        for (int i = 0; i < a.length; i++) {
          a[i] = b.get(i);
        }
        yield a;
      }
      default -> throw new IllegalStateException("output '" + t.getInfo() + "' is not numeric");
    };
  }

  /** Waits for running calls, then frees the session; idempotent. */
  @Override
  public void close() {
    long stamp = lifecycle.writeLock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      rowSlots.forEach(RowSlot::close);
      rowSlots.clear();
      model.close();
    } finally {
      lifecycle.unlockWrite(stamp);
    }
  }
}
