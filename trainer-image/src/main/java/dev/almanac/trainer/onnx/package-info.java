/**
 * ONNX graphs of the trained models (ai.onnx opset 17 + ai.onnx.ml opset 3, IR 8). Regressors read
 * "features" float[N,F] and write "prediction" float[N,1]; classifiers write "label" int64[N] and
 * "probabilities" float[N,C]. Trees become TreeEnsembleRegressor nodes (classifiers: multi-target
 * regressor + Softmax/ArgMax), linear models MatMul + Add, and an ensemble one graph that sums its
 * weighted members.
 */
package dev.almanac.trainer.onnx;
