package dev.almanac.server.model;

import dev.almanac.server.metrics.ServerMetrics.ModelMeters;
import dev.almanac.server.model.ClassificationTask.Diagnosis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of a model: its tensors, its task (forecast or classification) and its
 * batcher. Requests {@link #acquire()} it and {@link #release()} it when done; a replaced version
 * is {@link #retire() retired} and closes itself when its last in-flight request releases it, so a
 * hot reload never cuts a request short.
 */
public final class ServedModel {
  private static final Logger LOG = LoggerFactory.getLogger(ServedModel.class);

  /** The task of a model without forecast or classification: KServe V2 tensors only. */
  public static final String TENSOR_TASK = "tensor";

  private final String name;
  private final String version;
  private final String source;
  private final TensorModel tensors;
  private final DynamicBatcher<List<Tensor>, List<Tensor>> tensorBatcher;
  private final DynamicBatcher<PredictRequest, List<Diagnosis>> predictBatcher;
  private final DynamicBatcher<ForecastTask.Request, ForecastOutcome> forecastBatcher;
  private final ForecastTask forecast;
  private final ClassificationTask classification;
  private final Map<String, String> info;
  private final AutoCloseable resources;
  private final Instant loadedAt = Instant.now();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean retired;

  private record PredictRequest(List<String> symptoms, int topK) {}

  /** A forecast or why this request could not be forecast (the others of its batch still are). */
  private record ForecastOutcome(ForecastTask.Forecast forecast, RuntimeException error) {}

  /**
   * @param tensors the raw model (KServe V2 infer), batched through its own batcher
   * @param forecast the forecast task, or null
   * @param classification the classification task, or null (both null: a tensor-only model)
   * @param resources closed with this version (e.g. the bundle behind the tasks)
   */
  public ServedModel(
      String name,
      String version,
      String source,
      TensorModel tensors,
      ForecastTask forecast,
      ClassificationTask classification,
      Map<String, String> info,
      BatchSettings batching,
      ModelMeters meters,
      AutoCloseable resources) {
    if (forecast != null && classification != null) {
      throw new IllegalArgumentException(
          "a served model is a forecast or a classification model, not both");
    }
    this.name = name;
    this.version = version;
    this.source = source;
    this.tensors = tensors;
    this.forecast = forecast;
    this.classification = classification;
    this.info = Map.copyOf(info);
    this.resources = resources;
    String id = name + "-" + version;
    this.tensorBatcher =
        new DynamicBatcher<>(
            id + "-infer",
            batching.maxBatchSize(),
            batching.maxDelayNanos(),
            TensorBatching::rows,
            TensorBatching::key,
            (reqs, rows) -> TensorBatching.run(tensors, reqs, rows),
            meters);
    this.predictBatcher =
        classification == null
            ? null
            : new DynamicBatcher<>(
                id + "-predict",
                batching.maxBatchSize(),
                batching.maxDelayNanos(),
                r -> 1,
                r -> Boolean.TRUE,
                (reqs, rows) -> predictBatch(classification, reqs),
                meters);
    this.forecastBatcher =
        forecast == null
            ? null
            : new DynamicBatcher<>(
                id + "-forecast",
                batching.maxBatchSize(),
                batching.maxDelayNanos(),
                r -> 1,
                ForecastTask.Request::horizon,
                (reqs, rows) -> forecastBatch(forecast, reqs),
                meters);
  }

  private static List<ForecastOutcome> forecastBatch(
      ForecastTask task, List<ForecastTask.Request> reqs) {
    List<ForecastOutcome> out = new ArrayList<>(reqs.size());
    try {
      task.forecastAll(reqs).forEach(f -> out.add(new ForecastOutcome(f, null)));
    } catch (IllegalArgumentException batchFailed) {
      // one bad request must not fail the others: run each alone
      out.clear();
      for (ForecastTask.Request r : reqs) {
        try {
          out.add(new ForecastOutcome(task.forecast(r.series(), r.horizon(), r.history()), null));
        } catch (IllegalArgumentException e) {
          out.add(new ForecastOutcome(null, e));
        }
      }
    }
    return out;
  }

  private static List<List<Diagnosis>> predictBatch(
      ClassificationTask task, List<PredictRequest> reqs) {
    int k = 1;
    List<List<String>> symptoms = new ArrayList<>(reqs.size());
    for (PredictRequest r : reqs) {
      k = Math.max(k, r.topK());
      symptoms.add(r.symptoms());
    }
    List<List<Diagnosis>> all = task.predictBatch(symptoms, k);
    List<List<Diagnosis>> out = new ArrayList<>(reqs.size());
    for (int i = 0; i < reqs.size(); i++) {
      List<Diagnosis> d = all.get(i);
      out.add(d.size() > reqs.get(i).topK() ? d.subList(0, reqs.get(i).topK()) : d);
    }
    return out;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String source() {
    return source;
  }

  /** forecast, classification, or {@value #TENSOR_TASK} (an ONNX model served as raw tensors). */
  public String task() {
    return forecast != null ? "forecast" : classification != null ? "classification" : TENSOR_TASK;
  }

  public TensorModel tensors() {
    return tensors;
  }

  public ForecastTask forecast() {
    return forecast;
  }

  public ClassificationTask classification() {
    return classification;
  }

  /** Free-form facts shown on the dashboard (run id, trained at, model type, ...). */
  public Map<String, String> info() {
    return info;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /** Raw tensors through the dynamic batcher (KServe V2 infer). */
  public CompletableFuture<List<Tensor>> infer(List<Tensor> inputs) {
    return tensorBatcher.submit(inputs);
  }

  /**
   * Top-k diagnoses through the dynamic batcher; the symptoms must be known (see {@link
   * ClassificationTask#unknown}).
   */
  public CompletableFuture<List<Diagnosis>> predict(List<String> symptoms, int topK) {
    return predictBatcher.submit(new PredictRequest(symptoms, topK));
  }

  /**
   * A forecast through the dynamic batcher: concurrent requests of one horizon share their model
   * calls. Fails with the task's IllegalArgumentException for a request it cannot forecast.
   */
  public CompletableFuture<ForecastTask.Forecast> forecast(
      String series, int horizon, double[] history) {
    return forecastBatcher
        .submit(new ForecastTask.Request(series, horizon, history))
        .thenApply(
            o -> {
              if (o.error() != null) {
                throw o.error();
              }
              return o.forecast();
            });
  }

  /**
   * One inference on the real code path; readiness waits for it (and a reload swaps only after it)
   * so the first user request never pays for lazy initialisation.
   */
  public void warmUp() {
    if (forecast != null) {
      String s = forecast.series().get(0);
      forecast(s, Math.min(2, forecast.defaultHorizon()), null).join();
    } else if (classification != null
        && predict(List.of(classification.symptoms().get(0)), 1).join().isEmpty()) {
      throw new IllegalStateException("warm-up prediction returned no diagnosis");
    }
    List<Tensor> zeros = new ArrayList<>();
    for (TensorSpec s : tensors.inputs()) {
      long[] shape = s.shape().clone();
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shape[i] < 0 ? 1 : shape[i];
      }
      int n = Math.toIntExact(Tensor.elements(shape));
      Object data =
          switch (s.type()) {
            case FP32 -> new float[n];
            case FP64 -> new double[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
            case BOOL -> new boolean[n];
          };
      zeros.add(new Tensor(s.name(), s.type(), shape, data));
    }
    if (infer(zeros).join().isEmpty()) {
      throw new IllegalStateException("warm-up inference returned no output");
    }
  }

  public boolean acquire() {
    inFlight.incrementAndGet();
    if (retired) {
      release();
      return false;
    }
    return true;
  }

  public void release() {
    if (inFlight.decrementAndGet() == 0 && retired) {
      close();
    }
  }

  public void retire() {
    retired = true;
    if (inFlight.get() == 0) {
      close();
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Finishes queued batches and frees the ONNX session; idempotent. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LOG.info("unloading {} version {}", name, version);
      tensorBatcher.close();
      if (predictBatcher != null) {
        predictBatcher.close();
      }
      if (forecastBatcher != null) {
        forecastBatcher.close();
      }
      tensors.close();
      try {
        resources.close();
      } catch (Exception e) {
        LOG.warn("closing {} version {}: {}", name, version, e.toString());
      }
    }
  }
}
