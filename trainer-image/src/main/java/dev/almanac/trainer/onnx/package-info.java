/**
 * ONNX graphs of the trained models (ai.onnx opset 17, IR 8; ai.onnx.ml opset 5 for tree
 * regressors, 3 for tree classifiers). Regressors read "features" float[N,F] and write "prediction"
 * float[N,1]; classifiers write "label" int64[N] and "probabilities" float[N,C]. Tree regressors
 * become one TreeEnsemble node, tree classifiers a multi-target TreeEnsembleRegressor + Softmax /
 * ArgMax, linear models MatMul + Add, and an ensemble one graph that sums its weighted members.
 */
package dev.almanac.trainer.onnx;
