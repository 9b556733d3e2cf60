package dev.almanac.server.model;

import java.util.ArrayList;
import java.util.List;

/** Concatenates request tensors along the batch dimension and splits the outputs back. */
public final class TensorBatching {
  private TensorBatching() {}

  /** Requests with the same names, types and inner shapes may share a batch. */
  public static Object key(List<Tensor> inputs) {
    StringBuilder sb = new StringBuilder();
    for (Tensor t : inputs) {
      sb.append(t.name()).append(':').append(t.type()).append(':');
      for (int i = 1; i < t.shape().length; i++) {
        sb.append(t.shape()[i]).append(',');
      }
      sb.append(t.shape().length).append(';');
    }
    return sb.toString();
  }

  public static long rows(List<Tensor> inputs) {
    return inputs.get(0).rows();
  }

  /** The batch function of a {@link DynamicBatcher} over a tensor model. */
  public static List<List<Tensor>> run(TensorModel model, List<List<Tensor>> requests, long rows) {
    if (requests.size() == 1) {
      return List.of(model.run(requests.get(0)));
    }
    List<Tensor> out = model.run(concat(requests, rows));
    List<List<Tensor>> split = new ArrayList<>(requests.size());
    long from = 0;
    for (List<Tensor> r : requests) {
      long n = rows(r);
      List<Tensor> mine = new ArrayList<>(out.size());
      for (Tensor o : out) {
        mine.add(o.shape().length > 0 && o.shape()[0] == rows ? o.slice(from, n) : o);
      }
      from += n;
      split.add(mine);
    }
    return split;
  }

  static List<Tensor> concat(List<List<Tensor>> requests, long rows) {
    List<Tensor> first = requests.get(0);
    List<Tensor> out = new ArrayList<>(first.size());
    for (int i = 0; i < first.size(); i++) {
      Tensor t0 = first.get(i);
      long[] shape = t0.shape().clone();
      shape[0] = rows;
      int total = Math.toIntExact(Tensor.elements(shape));
      Object data =
          switch (t0.type()) {
            case FP32 -> new float[total];
            case FP64 -> new double[total];
            case INT64 -> new long[total];
            case INT32 -> new int[total];
            case BOOL -> new boolean[total];
          };
      int pos = 0;
      for (List<Tensor> r : requests) {
        Object src = r.get(i).data();
        int len = Tensor.length(src);
        System.arraycopy(src, 0, data, pos, len);
        pos += len;
      }
      out.add(new Tensor(t0.name(), t0.type(), shape, data));
    }
    return out;
  }
}
