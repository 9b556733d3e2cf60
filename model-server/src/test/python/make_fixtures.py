"""Writes the small ONNX models the model-server tests load (run once; outputs are committed).

  ~/.cache/almanac/venv/bin/python model-server/src/test/python/make_fixtures.py <shared/data> <out dir>

classifier.onnx  softmax regression on disease-symptoms/Training.csv:
                 "features" float[N,132] -> "label" int64[N], "probabilities" float[N,41]
classifier.json  columns (symptom header, in order) and classes (label order)
regressor.onnx   "features" float[N,13] -> "prediction" float[N,1] = 0.6*lag_1 + 0.4*lag_7 + 1
                 (13 = FeatureSpec.defaults() width: dow, week, month, is_weekend, lag_1, lag_7,
                 lag_14, roll_mean_7, roll_std_7, roll_mean_14, roll_std_14, diff_1, pct_change_1)
"""
import csv
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

data, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)

with open(data / "disease-symptoms" / "Training.csv", newline="") as f:
    rows = list(csv.reader(f))
header = rows[0]
label_col = header.index("prognosis")
columns = [c for i, c in enumerate(header) if i != label_col and c.strip() and not c.startswith("Unnamed")]
keep = [i for i, c in enumerate(header) if i != label_col and c.strip() and not c.startswith("Unnamed")]
x = np.array([[float(r[i]) for i in keep] for r in rows[1:] if r], dtype=np.float64)
labels = [" ".join(r[label_col].split()) for r in rows[1:] if r]
classes = sorted(set(labels))
y = np.array([classes.index(l) for l in labels])

# plain softmax regression, full-batch gradient descent (deterministic)
w = np.zeros((x.shape[1], len(classes)))
b = np.zeros(len(classes))
onehot = np.eye(len(classes))[y]
for _ in range(300):
    z = x @ w + b
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    g = (p - onehot) / len(x)
    w -= 5.0 * (x.T @ g)
    b -= 5.0 * g.sum(axis=0)
acc = float(((x @ w + b).argmax(axis=1) == y).mean())

graph = helper.make_graph(
    [helper.make_node("MatMul", ["features", "W"], ["logits0"]),
     helper.make_node("Add", ["logits0", "B"], ["logits"]),
     helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
     helper.make_node("ArgMax", ["logits"], ["label"], axis=1, keepdims=0)],
    "softmax_classifier",
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", x.shape[1]])],
    [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
     helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(classes)])],
    [numpy_helper.from_array(w.astype(np.float32), "W"), numpy_helper.from_array(b.astype(np.float32), "B")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
onnx.checker.check_model(model)
onnx.save(model, out / "classifier.onnx")
(out / "classifier.json").write_text(json.dumps({"columns": columns, "classes": classes, "trainAccuracy": acc}, indent=1))

coef = np.zeros((13, 1), dtype=np.float32)
coef[4, 0] = 0.6   # lag_1
coef[5, 0] = 0.4   # lag_7
graph = helper.make_graph(
    [helper.make_node("MatMul", ["features", "C"], ["p0"]),
     helper.make_node("Add", ["p0", "I"], ["prediction"])],
    "linear_regressor",
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 13])],
    [helper.make_tensor_value_info("prediction", TensorProto.FLOAT, ["N", 1])],
    [numpy_helper.from_array(coef, "C"), numpy_helper.from_array(np.array([1.0], dtype=np.float32), "I")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
onnx.checker.check_model(model)
onnx.save(model, out / "regressor.onnx")
print(f"classifier train accuracy {acc:.3f}, {len(columns)} columns, {len(classes)} classes")
