"""KServe V2 client check with NVIDIA's tritonclient.http against the Almanac model server.

usage: kserve_client.py <host:port> <model> <n_features>
Prints one JSON object: liveness/readiness, model metadata and the outputs of a 3-row infer, with JSON
and with binary tensor data (tritonclient's default).
"""
import json
import sys

import numpy as np
import tritonclient.http as httpclient

url, model, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = httpclient.InferenceServerClient(url=url)
out = {
    "live": client.is_server_live(),
    "ready": client.is_server_ready(),
    "model_ready": client.is_model_ready(model),
    "metadata": client.get_model_metadata(model),
}
x = np.zeros((3, n), dtype=np.float32)
x[0, 0] = 1
x[0, 1] = 1
x[1, 2] = 1
x[2, 5] = 1
inp = httpclient.InferInput("features", list(x.shape), "FP32")
inp.set_data_from_numpy(x, binary_data=False)
outputs = [httpclient.InferRequestedOutput("probabilities", binary_data=False),
           httpclient.InferRequestedOutput("label", binary_data=False)]
res = client.infer(model, inputs=[inp], outputs=outputs, request_id="tc-1")
out["probabilities"] = res.as_numpy("probabilities").tolist()
out["label"] = res.as_numpy("label").tolist()
out["response"] = {k: v for k, v in res.get_response().items() if k != "outputs"}
# tritonclient's defaults: binary tensor data both ways (the binary tensor data extension)
binp = httpclient.InferInput("features", list(x.shape), "FP32")
binp.set_data_from_numpy(x)
bres = client.infer(model, inputs=[binp], outputs=[httpclient.InferRequestedOutput("probabilities"),
                                                    httpclient.InferRequestedOutput("label")])
out["binary_probabilities"] = bres.as_numpy("probabilities").tolist()
out["binary_label"] = bres.as_numpy("label").tolist()
try:
    bad = httpclient.InferInput("features", [1, n + 1], "FP32")
    bad.set_data_from_numpy(np.zeros((1, n + 1), dtype=np.float32), binary_data=False)
    client.infer(model, inputs=[bad])
    out["bad_shape_error"] = None
except Exception as e:  # tritonclient raises InferenceServerException with the server's message
    out["bad_shape_error"] = str(e)
print(json.dumps(out))
