"""Checks and runs exported Almanac graphs with the Python onnx + onnxruntime stack.

usage: run_onnx.py <dir>   (dir holds <name>.onnx files and rows.csv, float32 features)
prints one JSON object: {name: {"checker": "ok", "outputs": {output_name: nested list}}}
"""
import json
import pathlib
import sys

import numpy as np
import onnx
import onnxruntime as ort

d = pathlib.Path(sys.argv[1])
rows = np.loadtxt(d / "rows.csv", delimiter=",", dtype=np.float64, ndmin=2).astype(np.float32)
result = {}
for path in sorted(d.glob("*.onnx")):
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    outs = sess.run(None, {"features": rows[:, : sess.get_inputs()[0].shape[1]]})
    result[path.stem] = {"checker": "ok", "outputs": {n: o.tolist() for n, o in zip(names, outs)}}
print(json.dumps(result))
