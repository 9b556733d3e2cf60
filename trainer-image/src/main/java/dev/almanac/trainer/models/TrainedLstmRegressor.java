package dev.almanac.trainer.models;

import ai.onnx.proto.OnnxMl;
import dev.almanac.trainer.onnx.LstmExport;

/** A fitted {@link LstmNetwork} with its input and target standardization. */
public final class TrainedLstmRegressor implements TrainedRegressor {
  private final LstmNetwork net;
  private final double[] theta;
  private final double[] mean;
  private final double[] invSd;
  private final double yMean;
  private final double ySd;

  TrainedLstmRegressor(
      LstmNetwork net, double[] theta, double[] mean, double[] invSd, double yMean, double ySd) {
    this.net = net;
    this.theta = theta;
    this.mean = mean;
    this.invSd = invSd;
    this.yMean = yMean;
    this.ySd = ySd;
  }

  @Override
  public String type() {
    return LstmRegressorTrainer.TYPE;
  }

  @Override
  public double predict(double[] row) {
    double[] xs = new double[row.length];
    for (int j = 0; j < row.length; j++) {
      xs[j] = (row[j] - mean[j]) * invSd[j];
    }
    return net.forward(theta, xs) * ySd + yMean;
  }

  @Override
  public OnnxMl.ModelProto toOnnx(int nFeatures) {
    if (nFeatures != net.width) {
      throw new IllegalArgumentException(
          "LSTM was fitted on " + net.width + " features, export asked for " + nFeatures);
    }
    int h = net.hidden;
    int g = 4 * h;
    float[] w = new float[g];
    float[] r = new float[g * h];
    float[] b = new float[2 * g]; // ONNX: input biases then recurrent biases (zero here)
    for (int k = 0; k < g; k++) {
      w[k] = (float) theta[net.w() + k];
      b[k] = (float) theta[net.b() + k];
    }
    for (int k = 0; k < g * h; k++) {
      r[k] = (float) theta[net.r() + k];
    }
    float[] head = new float[h + nFeatures];
    for (int k = 0; k < h; k++) {
      head[k] = (float) (theta[net.v() + k] * ySd);
    }
    for (int j = 0; j < nFeatures; j++) {
      head[h + j] = (float) (theta[net.u() + j] * ySd);
    }
    float bias = (float) (theta[net.c0()] * ySd + yMean);
    return LstmExport.regressor(mean, invSd, net.sequence, h, w, r, b, head, bias);
  }
}
