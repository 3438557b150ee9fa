"""Drives a running MaaS gateway with Triton's own Python client (tritonclient.http), unchanged.

Run by `npm run compat:triton`, which starts the platform, uploads the models and writes the
expected outputs (computed with onnxruntime directly) to a JSON file. Needs tritonclient[http]
(`pip install "tritonclient[http]"`) importable by this python3.
"""
import argparse
import json
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

checks = []


def check(name, condition, detail=""):
    checks.append((name, bool(condition)))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f" ({detail})"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="host:port of the platform")
    parser.add_argument("--key", required=True, help="an API key with the infer scope")
    parser.add_argument("--expected", required=True, help="JSON file written by the driver")
    args = parser.parse_args()
    expected = json.load(open(args.expected))
    headers = {"Authorization": "Bearer " + args.key}
    batch = np.array(expected["input"], dtype=np.float32)
    reference = np.array(expected["output"], dtype=np.float32)

    client = httpclient.InferenceServerClient(url=args.url)
    check("is_server_live", client.is_server_live())
    check("is_server_ready", client.is_server_ready())
    metadata = client.get_server_metadata(headers=headers)
    check("get_server_metadata lists binary_tensor_data", "binary_tensor_data" in metadata["extensions"], metadata)
    model = client.get_model_metadata("mlp", headers=headers)
    check("get_model_metadata", model["platform"] == "onnxruntime_onnx" and model["inputs"][0]["shape"] == [-1, 8], model)
    check("get_model_metadata of version 1", client.get_model_metadata("mlp", "1", headers=headers)["versions"] == ["1"])
    check("is_model_ready", client.is_model_ready("mlp", headers=headers))
    check("is_model_ready for an unknown model is False", not client.is_model_ready("missing", headers=headers))

    def infer(binary_in=True, outputs=None, **options):
        tensor = httpclient.InferInput("input", list(batch.shape), "FP32")
        tensor.set_data_from_numpy(batch, binary_data=binary_in)
        return client.infer("mlp", [tensor], outputs=outputs, headers=dict(headers), **options)

    result = infer(request_id="compat-1")
    check("infer, binary in and out", np.allclose(result.as_numpy("output"), reference, atol=1e-6), result.get_response())
    check("infer echoes the request id", result.get_response().get("id") == "compat-1")
    result = infer(binary_in=False, outputs=[httpclient.InferRequestedOutput("output", binary_data=False)])
    check("infer, JSON in and out", np.allclose(result.as_numpy("output"), reference, atol=1e-6))
    result = infer(model_version="1", outputs=[httpclient.InferRequestedOutput("output")])
    check("infer on version 1 with a requested binary output", np.allclose(result.as_numpy("output"), reference, atol=1e-6))
    for algorithm in ("gzip", "deflate"):
        result = infer(request_compression_algorithm=algorithm, response_compression_algorithm=algorithm)
        check(f"infer with {algorithm} request and response compression", np.allclose(result.as_numpy("output"), reference, atol=1e-6))

    classes = infer(outputs=[httpclient.InferRequestedOutput("output", class_count=2)]).as_numpy("output")
    top = np.argsort(-reference, axis=1)[:, :2]
    indices = np.array([[int(item.decode().split(":")[1]) for item in row] for row in classes])
    check("infer with class_count=2 (classification extension)", classes.shape == (batch.shape[0], 2) and (indices == top).all(), classes)

    identity = np.arange(12, dtype=np.int64).reshape(3, 4)
    tensor = httpclient.InferInput("input", [3, 4], "INT64")
    tensor.set_data_from_numpy(identity)
    check("infer INT64 through an identity model", (client.infer("identity", [tensor], headers=dict(headers)).as_numpy("output") == identity).all())

    stats = client.get_inference_statistics("mlp", headers=headers)
    check("get_inference_statistics for the model", stats["model_stats"][0]["inference_stats"]["success"]["count"] >= 6, stats)
    check("get_inference_statistics for all models", {entry["name"] for entry in client.get_inference_statistics(headers=headers)["model_stats"]} == {"mlp", "identity"})

    try:
        infer(model_version="7")
        check("an unknown version raises InferenceServerException", False)
    except InferenceServerException as error:
        check("an unknown version raises InferenceServerException with the server's message", error.status() == "404" and "version" in error.message(), str(error))
    try:
        wrong = httpclient.InferInput("input", [2, 3], "FP32")
        wrong.set_data_from_numpy(np.zeros((2, 3), dtype=np.float32))
        client.infer("mlp", [wrong], headers=dict(headers))
        check("a wrong shape raises InferenceServerException", False)
    except InferenceServerException as error:
        check("a wrong shape raises InferenceServerException naming the input", error.status() == "400" and '"input"' in error.message(), str(error))
    try:
        client.get_model_metadata("mlp", headers={"Authorization": "Bearer mk_0000000000000000_nope"})
        check("a bad key is refused", False)
    except InferenceServerException as error:
        check("a bad key is refused with 401", error.status() == "401", str(error))

    client.close()
    failed = [name for name, ok in checks if not ok]
    print(f"\n{len(checks) - len(failed)}/{len(checks)} checks passed with tritonclient.http")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
