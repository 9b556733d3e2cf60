"""Registers a model the way a Python user does (mlflow.onnx / mlflow.sklearn), for interop tests.

argv: registered model name, variant (onnx | onnx-bad-signature | sklearn), alias.
Prints one JSON line (prefixed ALMANAC_RESULT): version, run id, the rows used and scikit-learn's probabilities for them.
Data: iris, which scikit-learn ships (nothing is downloaded).
The pip requirements are the flavor's defaults, given rather than inferred: inference imports the
model in a subprocess (~5 s of a ~10 s script here), and the server reads none of them.
"""
import json
import sys

import mlflow
import numpy as np
from mlflow import MlflowClient
from mlflow.models import infer_signature
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

name, variant, alias = sys.argv[1], sys.argv[2], sys.argv[3]
X, y = load_iris(return_X_y=True)
X = X.astype(np.float32)
clf = LogisticRegression(max_iter=1000).fit(X, y)
rows = X[[0, 60, 120]]
proba = clf.predict_proba(rows)
# MLflow 3 names a model with `name`; 2.x with `artifact_path`
where = {"name": "model"} if mlflow.__version__.startswith("3.") else {"artifact_path": "model"}

mlflow.set_experiment("python-" + name)
with mlflow.start_run() as run:
    if variant == "sklearn":
        info = mlflow.sklearn.log_model(
            clf, registered_model_name=name, signature=infer_signature(X, proba),
            pip_requirements=mlflow.sklearn.get_default_pip_requirements(), **where)
    else:
        from skl2onnx import convert_sklearn
        from skl2onnx.common.data_types import FloatTensorType

        onx = convert_sklearn(
            clf,
            initial_types=[("float_input", FloatTensorType([None, 4]))],
            options={id(clf): {"zipmap": False}},
            target_opset=17)
        onx.ir_version = 8  # readable by every ONNX Runtime Almanac ships
        input_name = "float_input" if variant == "onnx" else "features"
        signature = infer_signature(
            {input_name: rows}, {"label": clf.predict(rows), "probabilities": proba.astype(np.float32)})
        info = mlflow.onnx.log_model(
            onx, registered_model_name=name, signature=signature,
            pip_requirements=mlflow.onnx.get_default_pip_requirements(), **where)
    version = info.registered_model_version
    MlflowClient().set_registered_model_alias(name, alias, str(version))
    # MLflow 3 prints run links when the run ends: mark the line to read
    print("ALMANAC_RESULT " + json.dumps({
        "version": str(version),
        "run_id": run.info.run_id,
        "model_id": getattr(info, "model_id", None),
        "rows": rows.tolist(),
        "probabilities": proba.tolist(),
    }))
