"""specgen's benchmarks: prints a table and writes it as JSON (benchmarks/results.json).

Each figure is the median of repeated runs; ratios are taken within the same run.  Run with
``make bench`` (not part of ``make test``: timings belong here, never in asserts).

1. ``specgen generate`` as a whole process per spec, with the --profile stage split;
2. scale: the inference spec's schemas and operations copied 1x, 2x, 4x, 8x;
3. ``specgen check`` with nothing changed;
4. decoding: an embeddings answer and a 10,000-file list, against json.loads alone and
   against the openai SDK's client parsing the same bytes;
5. import time of each generated package against ``import httpx`` and ``import openai``;
6. per-request overhead: 1,000 sequential calls through the generated client against a
   bare httpx.Client, both to the same local server.
"""

from __future__ import annotations

import copy
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SPECGEN = [sys.executable, "-m", "generator.cli"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
DECODE_REPEAT = max(REPEAT * 6, 10)


def median_seconds(run: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process(args: list[str], cwd: Path = ROOT, cache: bool = False) -> Callable[[], None]:
    """A whole specgen process; without the cache (the default) every run does all the work."""
    env = dict(os.environ, SPECGEN_CACHE="on" if cache else "off")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users run from cached bytecode

    def run() -> None:
        subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=env)

    return run


# --------------------------------------------------------------------------- 1. generation


_STAGE = re.compile(r"^  (.+?)\s+([0-9.]+) s$")


def as_json(spec: Path, target: Path) -> Path:
    """The spec as Azure publishes its specs: JSON, indented by two spaces."""
    from generator.loader import load_spec  # YAML 1.2 as specgen reads it (dates stay text)

    data = load_spec(spec, validate=False).root.data
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def generation(work: Path) -> list[dict[str, Any]]:
    largest = max((CORPUS / "azure-sample").glob("*.yml"), key=lambda p: p.stat().st_size)
    specs = [
        ROOT / "specs" / "azure-openai-authoring-2023-05-15.yaml",
        ROOT / "specs" / "azure-openai-inference-2024-02-01.yaml",
        CORPUS / "azure-openai" / "inference-2024-03-01-preview.yaml",
        largest,
        as_json(largest, work / f"{largest.stem}.json"),  # the target is per MB of JSON
    ]
    rows = []
    for spec in specs:
        out = work / f"gen-{spec.stem}"
        args = SPECGEN + ["generate", str(spec), "-o", str(out), "-p", "pkg"]
        seconds = median_seconds(process(args))
        profile = subprocess.run(
            args + ["--profile"],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            | {"SPECGEN_CACHE": "off"},
        )
        stages = {
            match[1]: float(match[2])
            for match in map(_STAGE.match, profile.stdout.splitlines())
            if match
        }
        row = {
            "spec": spec.name,
            "kb": round(spec.stat().st_size / 1024),
            "seconds": round(seconds, 3),
            "stages": stages,
        }
        if spec.suffix == ".json":
            row["s_per_mb"] = round(seconds / (spec.stat().st_size / 1e6), 2)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- 2. scale


def scaled_spec(source: Path, copies: int, target: Path) -> Path:
    """The spec with its schemas and operations copied ``copies`` times under new names."""
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    paths = spec["paths"]
    new_schemas, new_paths = {}, {}
    for n in range(copies):
        suffix = "" if n == 0 else f"Copy{n}"

        for name, schema in schemas.items():
            new_schemas[suffix + name] = _renamed(copy.deepcopy(schema), suffix)
        for path, item in paths.items():
            item = _renamed(copy.deepcopy(item), suffix)
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation and suffix:
                    operation["operationId"] = f"{suffix}{operation['operationId']}"
            new_paths[f"/{suffix.lower()}{path}" if suffix else path] = item
    spec["components"]["schemas"] = new_schemas
    spec["paths"] = new_paths
    target.write_text(json.dumps(spec), encoding="utf-8")
    return target


def _renamed(node: Any, suffix: str) -> Any:
    """``node`` with every schema ref pointing at the schema's copy named ``suffix + name``."""
    if isinstance(node, dict):
        return {
            k: (
                v.replace("#/components/schemas/", "#/components/schemas/" + suffix)
                if k == "$ref" and isinstance(v, str)
                else _renamed(v, suffix)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_renamed(v, suffix) for v in node]
    return node


def scale(work: Path) -> list[dict[str, Any]]:
    source = CORPUS / "azure-openai" / "inference-2024-03-01-preview.yaml"
    rows = []
    for copies in (1, 2, 4, 8):
        spec = scaled_spec(source, copies, work / f"scaled-{copies}.json")
        args = SPECGEN + ["generate", str(spec), "-o", str(work / f"scaled-{copies}"), "-p", "pkg"]
        rows.append(
            {
                "copies": copies,
                "kb": round(spec.stat().st_size / 1024),
                "seconds": round(median_seconds(process(args), repeat=3), 3),
            }
        )
    base = rows[0]["seconds"]
    for row in rows:
        row["ratio"] = round(row["seconds"] / base, 2)
    return rows


# --------------------------------------------------------------------------- 3. regeneration


def regeneration() -> dict[str, Any]:
    """``specgen check`` of this repository's two jobs: with the hash cache (what a user's CI or
    pre-commit hook sees from the second run on) and without it (a cold machine)."""
    process(SPECGEN + ["check"], cache=True)()  # fills the cache
    cached = median_seconds(process(SPECGEN + ["check"], cache=True))
    cold = median_seconds(process(SPECGEN + ["check"]))
    return {
        "jobs": 2,
        "per_spec_cached": round(cached / 2, 3),
        "per_spec_uncached": round(cold / 2, 3),
    }


# --------------------------------------------------------------------------- 4. decoding


def decoding() -> list[dict[str, Any]]:
    """Each side in a fresh process that imports only what it measures, as in a user's
    program: a process that has imported the openai SDK (or not) has a different heap for
    the cyclic garbage collector to walk."""
    ours = _decode_worker_run("specgen")
    sdk = _decode_worker_run("openai")
    rows = []
    for name, row in ours.items():
        row = {"payload": name, **row}
        row["ratio"] = round(row["specgen_ms"] / row["json_loads_ms"], 3)
        if name in sdk:
            # Processes differ in speed by a few tenths; each side's time is taken in units
            # of json.loads timed in turns with it in its own process.
            row["openai_sdk_ms"] = sdk[name]["openai_sdk_ms"]
            row["sdk_process_json_loads_ms"] = sdk[name]["json_loads_ms"]
            sdk_units = row["openai_sdk_ms"] / sdk[name]["json_loads_ms"]
            row["sdk_over_specgen"] = round(sdk_units / row["ratio"], 1)
        rows.append(row)
    return rows


def _decode_worker_run(side: str) -> dict[str, dict[str, float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "decode-worker", side],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    for line in done.stderr.splitlines():
        print(line)
    result: dict[str, dict[str, float]] = json.loads(done.stdout)
    return result


def payloads() -> dict[str, dict[str, Any]]:
    rng = random.Random(1)
    embeddings = {
        "object": "list",
        "model": "ada",
        "data": [
            {
                "object": "embedding",
                "index": i,
                "embedding": [rng.uniform(-1, 1) for _ in range(1536)],
            }
            for i in range(100)
        ],
        "usage": {"prompt_tokens": 800, "total_tokens": 800},
    }
    files = {
        "object": "list",
        "data": [
            {
                "object": "file",
                "id": f"file-{i}",
                "status": "succeeded",
                "created_at": 1646126127 + i,
                "updated_at": 1646127311 + i,
                "bytes": 140 + i,
                "purpose": "fine-tune",
                "filename": f"train-{i}.jsonl",
            }
            for i in range(10_000)
        ],
    }
    return {"embeddings 100x1536": embeddings, "file list 10,000": files}


def decode_worker(side: str) -> None:
    """Print the medians of one side's decoders as JSON (json.loads, timed in turns with
    them, for the ratio)."""
    results: dict[str, dict[str, float]] = {}
    for name, payload in payloads().items():
        raw = json.dumps(payload).encode()
        contenders: dict[str, Callable[[], object]] = {
            "json_loads": lambda: json.loads(raw)  # noqa: B023 -- used within the iteration
        }
        if side == "specgen":
            contenders["specgen"] = _specgen_decoder(name, raw)
        else:
            sdk = openai_decode_call(name, raw)
            if sdk is None:
                continue
            contenders["openai_sdk"] = sdk
        seconds = interleaved_medians(contenders, DECODE_REPEAT)
        results[name] = {f"{k}_ms": round(v * 1000, 2) for k, v in seconds.items()}
    print(json.dumps(results))


def generated_on_path() -> None:
    """Make the two generated packages importable (they are not installed)."""
    for folder in ("azure-openai-inference", "azure-openai-authoring"):
        if str(ROOT / "generated" / folder) not in sys.path:
            sys.path.insert(0, str(ROOT / "generated" / folder))


def _specgen_decoder(name: str, raw: bytes) -> Callable[[], object]:
    generated_on_path()
    if name.startswith("file"):
        from azure_openai_authoring.models import FileList

        return lambda: FileList.from_dict(json.loads(raw))
    from azure_openai_inference.models import EmbeddingsCreateResponse

    return lambda: EmbeddingsCreateResponse.from_dict(json.loads(raw))


def interleaved_medians(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The median of each, timed in turns: a busy moment on a shared machine then slows
    every contender alike instead of moving one ratio."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def openai_decode_call(name: str, raw: bytes) -> Callable[[], object] | None:
    """The openai SDK's client answering the same bytes from a mock transport."""
    try:
        import openai
    except ImportError:
        return None
    if name.startswith("file"):
        return None  # the SDK has no Azure file-list model of this API version to compare

    # The SDK brings its own HTTP package (httpx, or httpx2 in newer releases): answer the
    # call from that package's mock transport.
    http = sys.modules[openai.DefaultHttpxClient.__mro__[1].__module__.split(".")[0]]

    def handler(request: Any) -> Any:
        return http.Response(200, content=raw, headers={"content-type": "application/json"})

    try:
        client = openai.AzureOpenAI(
            azure_endpoint="http://127.0.0.1",
            api_key="k",
            api_version="2024-02-01",
            http_client=openai.DefaultHttpxClient(transport=http.MockTransport(handler)),
        )

        def call() -> object:
            return client.embeddings.create(model="ada", input="x", encoding_format="float")

        call()
    except Exception as exc:  # noqa: BLE001 -- another SDK build: report, don't fail
        print(f"  (openai SDK comparison skipped: {type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    return call


# --------------------------------------------------------------------------- 5. import time


def import_times() -> list[dict[str, Any]]:
    env = dict(os.environ)
    # Users import from cached bytecode; a shell with PYTHONDONTWRITEBYTECODE would make every
    # run compile the generated sources again (the first run below writes the cache).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(
        [
            str(ROOT / "generated" / "azure-openai-authoring"),
            str(ROOT / "generated" / "azure-openai-inference"),
        ]
    )

    def seconds(module: str) -> float:
        code = (
            f"import time; s = time.perf_counter(); import {module}; print(time.perf_counter() - s)"
        )
        subprocess.run([sys.executable, "-c", f"import {module}"], env=env, check=True)
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(REPEAT * 2)
        ]
        return statistics.median(runs)

    httpx_seconds = seconds("httpx")
    rows = [{"module": "httpx", "ms": round(httpx_seconds * 1000, 1), "ratio": 1.0}]
    for module in ("azure_openai_authoring", "azure_openai_inference", "openai"):
        try:
            value = seconds(module)
        except subprocess.CalledProcessError:
            continue
        rows.append(
            {
                "module": module,
                "ms": round(value * 1000, 1),
                "ratio": round(value / httpx_seconds, 2),
            }
        )
    return rows


# --------------------------------------------------------------------------- 6. overhead


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms to every keep-alive call
    body = json.dumps(
        {
            "object": "model",
            "id": "gpt-35-turbo",
            "status": "succeeded",
            "created_at": 1646126127,
            "capabilities": {
                "fine_tune": False,
                "inference": True,
                "completion": True,
                "chat_completion": True,
                "embeddings": False,
            },
            "lifecycle_status": "generally-available",
            "deprecation": {"inference": 1719792000},
        }
    ).encode()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def request_overhead(calls: int = 1000) -> dict[str, Any]:
    import httpx

    generated_on_path()
    from azure_openai_authoring import Client

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with httpx.Client() as bare:

            def bare_calls() -> None:
                for _ in range(calls):
                    bare.get(
                        f"{url}/openai/models/m",
                        params={"api-version": "2023-05-15"},
                        headers={"api-key": "k"},
                    ).json()

            bare_calls()
            bare_seconds = median_seconds(bare_calls, repeat=3)
        with Client(endpoint=url, api_key="k") as client:

            def client_calls() -> None:
                for _ in range(calls):
                    client.models.get("m")

            client_calls()
            client_seconds = median_seconds(client_calls, repeat=3)
    finally:
        server.shutdown()
        server.server_close()
    return {
        "calls": calls,
        "bare_httpx_ms_per_call": round(bare_seconds / calls * 1000, 3),
        "specgen_ms_per_call": round(client_seconds / calls * 1000, 3),
        "ratio": round(client_seconds / bare_seconds, 2),
    }


# --------------------------------------------------------------------------- report


def main() -> None:
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "repeat": REPEAT,
        }
    }
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        results["generation"] = generation(work)
        results["scale"] = scale(work)
    results["regeneration"] = regeneration()
    results["decoding"] = decoding()
    results["imports"] = import_times()
    results["overhead"] = request_overhead()
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def print_table(results: dict[str, Any]) -> None:
    print(f"machine: {results['machine']}")
    print("\nspecgen generate (whole process, median)")
    for row in results["generation"]:
        stages = ", ".join(f"{k} {v:.3f}" for k, v in row["stages"].items())
        per_mb = f"  ({row['s_per_mb']} s/MB)" if "s_per_mb" in row else ""
        print(f"  {row['spec']:<46} {row['kb']:>5} KB {row['seconds']:>6.3f} s{per_mb}  [{stages}]")
    print("\nscale (inference spec copied)")
    for row in results["scale"]:
        print(f"  {row['copies']}x {row['kb']:>6} KB {row['seconds']:>7.3f} s  x{row['ratio']}")
    reg = results["regeneration"]
    print(
        f"\nspecgen check, nothing changed: {reg['per_spec_cached']:.3f} s per spec "
        f"(without the hash cache: {reg['per_spec_uncached']:.3f} s)"
    )
    print("\ndecoding")
    for row in results["decoding"]:
        print(f"  {row}")
    print("\nimport time")
    for row in results["imports"]:
        print(f"  {row['module']:<24} {row['ms']:>7.1f} ms  x{row['ratio']}")
    print(f"\nper-request overhead: {results['overhead']}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["decode-worker"]:
        decode_worker(sys.argv[2])
    else:
        main()
