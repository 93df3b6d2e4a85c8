"""specgen's benchmarks: prints a table and writes it as JSON (benchmarks/results.json).

Each figure is the median of repeated runs; ratios are taken within the same run.  Run with
``make bench`` (not part of ``make test``: timings belong here, never in asserts);
``--quick`` runs each figure once, ``--only`` a part (see ``--help``).

1. ``specgen generate`` as a whole process per spec, with the --profile stage split, in turns
   with openapi-python-client (benchmarks/peer.py) on the same file: this repository's seeds,
   the corpus's preview and largest spec, and large published specs (benchmarks/sources.py:
   stripe's OpenAPI 3.0, a real OpenAPI 3.1 one, and a 3.5 MB one upgraded to 3.1 by
   benchmarks/upgrade31.py, whose output is also imported whole and type-checked by
   benchmarks/output_check.py); a spec that either side refuses is reported, not fatal;
2. scale: the inference spec's schemas and operations copied 1x, 2x, 4x, 8x;
3. ``specgen check`` with nothing changed;
4. decoding: an embeddings answer and a 10,000-file list, ``from_dict`` against json.loads
   alone;
5. import time of each generated package against ``import httpx`` and ``import openai``;
6. per-request overhead: 1,000 sequential calls through the generated client against a
   bare httpx.Client, both to the same local server;
7. whole calls against the official ``openai`` SDK (``--only sdk``): embeddings of
   100 x 1536 floats, a 10,000-file list, a small chat completion, each side's client calling
   the same local server for the same bytes, timed in turns.
"""

from __future__ import annotations

import argparse
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
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import peer
import sources
import yaml
from output_check import check_package

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SPECGEN = [sys.executable, "-m", "generator.cli"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
LARGE_REPEAT = min(REPEAT, 3)  # turns on the large specs, where the peer takes up to a minute
DECODE_REPEAT = max(REPEAT * 6, 10)
SECTIONS = ("generation", "scale", "regeneration", "decoding", "imports", "overhead", "sdk")


def median_seconds(run: Callable[[], object], repeat: int | None = None) -> float:
    times = []
    for _ in range(repeat or REPEAT):
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
_COUNTS = re.compile(r"\((\d+) models, (\d+) operations\)")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The targets of the generation figures, per spec.
S_PER_MB_MAX = 1.0  # seconds of specgen per MB of the spec as JSON...
S_PER_MB_FROM = 1.0  # ...judged from 1 MB up: below, the process's start-up is most of it
PEER_RATIO_MIN = 3.0  # openapi-python-client's seconds over specgen's
# A side whose first run on a spec takes longer is not run again: its figure is far from any
# target, and more turns would add minutes.
ONCE_OVER = 60.0


def as_json(spec: Path, target: Path) -> Path:
    """The spec as Azure publishes its specs: JSON, indented by two spaces."""
    target.write_text(json.dumps(spec_data(spec), indent=2, ensure_ascii=False) + "\n")
    return target


def spec_data(spec: Path) -> dict[str, Any]:
    if spec.suffix == ".json":
        data: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))
        return data
    from generator.loader import load_spec  # YAML 1.2 as specgen reads it (dates stay text)

    return load_spec(spec, validate=False).root.data


@dataclass(frozen=True)
class Entry:
    """A spec of the generation figures; ``key`` is what ``--only`` matches."""

    key: str
    make: Callable[[], Path]
    large: bool = False  # fewer turns: the peer takes a minute on some
    check: bool = False  # import every module of the output and run mypy --strict on it
    seconds_max: float | None = None


def largest_corpus_spec() -> Path:
    return max((CORPUS / "azure-sample").glob("*.yml"), key=lambda p: p.stat().st_size)


def generation_specs(work: Path) -> list[Entry]:
    def largest_as_json() -> Path:
        largest = largest_corpus_spec()
        return as_json(largest, work / f"{largest.stem}.json")

    return [
        Entry("seed-authoring", lambda: ROOT / "specs" / "azure-openai-authoring-2023-05-15.yaml"),
        Entry("seed-inference", lambda: ROOT / "specs" / "azure-openai-inference-2024-02-01.yaml"),
        Entry("preview", lambda: CORPUS / "azure-openai" / "inference-2024-03-01-preview.yaml"),
        Entry("largest-yaml", largest_corpus_spec),
        # The same spec as JSON: the per-MB target is about JSON.
        Entry("largest-json", largest_as_json),
        # The large OpenAPI 3.0 spec: 2.5 MB, 305 paths, 775 schemas.
        Entry("stripe", lambda: sources.directory_file("stripe.com.json"), large=True),
        # A published OpenAPI 3.1.0 spec: 1.2 MB.
        Entry("codat-31", lambda: sources.directory_file("codat.io/accounting.json"), large=True),
        # OpenAPI 3.1, 3.5 MB, 1,508 schemas: derived by upgrade31.py (none is published).
        Entry("visma-31", sources.visma_31, large=True, check=True, seconds_max=8.0),
    ]


def generation(work: Path, entries: list[Entry]) -> list[dict[str, Any]]:
    """specgen and the peer on the same bytes, whole processes, in turns (which goes first
    alternates): a busy moment on a shared machine then slows both alike."""
    try:
        peer.install()
        peer_missing = None
    except sources.Unavailable as exc:
        peer_missing = str(exc)
    rows = []
    for entry in entries:
        print(f"  generation: {entry.key}", file=sys.stderr, flush=True)
        rounds = LARGE_REPEAT if entry.large else REPEAT
        try:
            rows.append(compare(entry, work, rounds, peer_missing))
        except sources.Unavailable as exc:
            rows.append({"key": entry.key, "unavailable": str(exc)})
    return rows


def compare(entry: Entry, work: Path, rounds: int, peer_missing: str | None) -> dict[str, Any]:
    spec = entry.make()
    row: dict[str, Any] = {"spec": spec.name, "key": entry.key, **spec_facts(spec)}
    out = work / f"gen-{entry.key}"
    args = SPECGEN + ["generate", str(spec), "-o", str(out), "-p", "pkg", "--profile"]
    ours: list[SpecgenRun] = []
    theirs = peer.Turns(spec, work / f"peer-{entry.key}", peer_missing)
    for turn in range(rounds):
        for side in ("specgen", "peer") if turn % 2 == 0 else ("peer", "specgen"):
            if side == "peer":
                if not theirs.runs or theirs.runs[0].seconds < ONCE_OVER:
                    theirs.turn()
            elif "refused" not in row and (not ours or ours[0].seconds < ONCE_OVER):
                result = specgen_run(args)
                if isinstance(result, str):
                    row["refused"] = result
                else:
                    ours.append(result)
    if ours:
        seconds = statistics.median(run.seconds for run in ours)
        row["seconds"] = round(seconds, 3)
        row["s_per_mb"] = round(seconds / row["mb_json"], 2)
        row["stages"] = {
            stage: round(statistics.median(run.stages.get(stage, 0.0) for run in ours), 3)
            for stage in ours[0].stages
        }
        row["specgen_operations"] = ours[-1].operations
        row["specgen_runs"] = len(ours)
    row.update(theirs.figures())
    if theirs.runs:
        row["peer_runs"] = len(theirs.runs)
        if ours:
            row["ratio"] = round(row["peer_seconds"] / row["seconds"], 2)
    if entry.check and ours:
        row["output_check"] = check_package(out, "pkg")
    row["targets"] = targets(entry, row)
    return row


def spec_facts(spec: Path) -> dict[str, Any]:
    """Size (MB of JSON: a YAML spec converted to JSON indented by two spaces), version,
    operations and schemas of the spec."""
    data = spec_data(spec)
    if spec.suffix == ".json":
        size = spec.stat().st_size
    else:
        size = len(json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n")
    components = data.get("components") or {}
    schemas = components.get("schemas") if "openapi" in data else data.get("definitions")
    return {
        "kb": round(spec.stat().st_size / 1024),
        "mb_json": round(size / 1e6, 3),
        "openapi": str(data.get("openapi") or f"swagger {data.get('swagger')}"),
        "operations": sum(
            1
            for item in (data.get("paths") or {}).values()
            for method in item
            if method in _METHODS
        ),
        "schemas": len(schemas or {}),
    }


@dataclass
class SpecgenRun:
    seconds: float
    stages: dict[str, float]
    operations: int | None


def specgen_run(args: list[str]) -> SpecgenRun | str:
    """One whole ``specgen generate --profile`` process (without the hash cache, from cached
    bytecode as users run it), or why it wrote nothing."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SPECGEN_CACHE"] = "off"
    start = time.perf_counter()
    try:
        done = subprocess.run(
            args, check=False, cwd=ROOT, capture_output=True, text=True, env=env, timeout=1800
        )
    except subprocess.TimeoutExpired:
        return "wrote nothing in 1800 s"
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no message"]
        if "Traceback" in done.stderr:
            return f"crashed: {lines[-1]}"
        more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
        return f"refused in {seconds:.1f} s: {lines[0]}{more}"
    counts = _COUNTS.search(done.stdout)
    return SpecgenRun(
        seconds=seconds,
        stages={
            match[1]: float(match[2])
            for match in map(_STAGE.match, done.stdout.splitlines())
            if match
        },
        operations=int(counts[2]) if counts else None,
    )


def targets(entry: Entry, row: dict[str, Any]) -> dict[str, bool | None]:
    """Each target of the spec: met, missed, or None when not judged: no figure (a side
    refused the spec) or, for the per-MB target, a spec under S_PER_MB_FROM."""
    per_mb, ratio = row.get("s_per_mb"), row.get("ratio")
    if row["mb_json"] < S_PER_MB_FROM:
        per_mb = None
    met: dict[str, bool | None] = {
        f"s_per_mb <= {S_PER_MB_MAX}": per_mb <= S_PER_MB_MAX if per_mb is not None else None,
        f"peer/specgen >= {PEER_RATIO_MIN}": ratio >= PEER_RATIO_MIN if ratio is not None else None,
    }
    if entry.seconds_max is not None:
        met[f"seconds <= {entry.seconds_max}"] = (
            row["seconds"] <= entry.seconds_max if "seconds" in row else None
        )
    if entry.check:
        check = row.get("output_check")
        met["imports, mypy --strict clean"] = (
            check["import"] == check["mypy_strict"] == "pass" if check else None
        )
    return met


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
                "seconds": round(median_seconds(process(args), repeat=min(3, REPEAT)), 3),
            }
        )
    base = rows[0]["seconds"]
    for row in rows:
        row["ratio"] = round(row["seconds"] / base, 2)
    return rows


# --------------------------------------------------------------------------- 3. regeneration


def regeneration() -> dict[str, Any]:
    """``specgen check`` of this repository's two jobs: with the hash cache (what a user's CI or
    pre-commit hook sees from the second run on) and without it (a cold machine).  One job at
    a time, so that a figure per spec is one: ``check`` runs jobs in parallel by default."""
    check = SPECGEN + ["check", "--jobs", "1"]
    process(check, cache=True)()  # fills the cache
    cached = median_seconds(process(check, cache=True))
    cold = median_seconds(process(check))
    return {
        "jobs": 2,
        "per_spec_cached": round(cached / 2, 3),
        "per_spec_uncached": round(cold / 2, 3),
    }


# --------------------------------------------------------------------------- 4. decoding


def decoding() -> list[dict[str, Any]]:
    """``from_dict(json.loads(raw))`` in units of ``json.loads(raw)``, timed in turns, in a
    fresh process that imports only what it measures, as in a user's program (a process
    that has imported more has a bigger heap for the cyclic garbage collector to walk).  The
    SDK is compared on whole calls (section 7): it has no decode step of its own to time."""
    rows = []
    for name, row in _worker_run("decode-worker").items():
        row = {"payload": name, **row}
        row["ratio"] = round(row["specgen_ms"] / row["json_loads_ms"], 3)
        rows.append(row)
    return rows


def _worker_run(*args: str) -> dict[str, dict[str, float]]:
    """What ``run.py ARGS`` (a worker of this file, in a fresh process) printed as JSON."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
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


def decode_worker() -> None:
    """Print the medians of specgen's decoders as JSON (json.loads, timed in turns with
    them, for the ratio)."""
    results: dict[str, dict[str, float]] = {}
    for name, payload in payloads().items():
        raw = json.dumps(payload).encode()
        contenders: dict[str, Callable[[], object]] = {
            "json_loads": lambda: json.loads(raw),  # noqa: B023 -- used within the iteration
            "specgen": _specgen_decoder(name, raw),
        }
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
            bare_seconds = median_seconds(bare_calls, repeat=min(3, REPEAT))
        with Client(endpoint=url, api_key="k") as client:

            def client_calls() -> None:
                for _ in range(calls):
                    client.models.get("m")

            client_calls()
            client_seconds = median_seconds(client_calls, repeat=min(3, REPEAT))
    finally:
        server.shutdown()
        server.server_close()
    return {
        "calls": calls,
        "bare_httpx_ms_per_call": round(bare_seconds / calls * 1000, 3),
        "specgen_ms_per_call": round(client_seconds / calls * 1000, 3),
        "ratio": round(client_seconds / bare_seconds, 2),
    }


# --------------------------------------------------------------------------- 7. the openai SDK

# The calls compared, each made by both clients: (name, path the server answers on, calls per
# timed sample: a sample of the small call is many calls, so the clock's grain is no part of it).
SDK_CALLS = (
    ("embeddings 100x1536", "/embeddings", 1),
    ("file list 10,000", "/files", 1),
    ("small chat completion", "/chat/completions", 50),
)


def chat_answer() -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "gpt-35-turbo",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "About 384,400 km on average."},
            }
        ],
        "usage": {"prompt_tokens": 24, "completion_tokens": 9, "total_tokens": 33},
    }


class _Answers(BaseHTTPRequestHandler):
    """The same bytes for both clients: the answer of the path's last segments."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    answers: ClassVar[dict[str, bytes]] = {}

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        path = self.path.split("?")[0]
        body = next((raw for end, raw in self.answers.items() if path.endswith(end)), None)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


def sdk_calls() -> list[dict[str, Any]]:
    """Whole calls (request, answer, decoded result) of the generated clients and of the openai
    SDK's AzureOpenAI client, to one local server answering both with the same bytes; timed
    in turns in one fresh process that imports both (so both run with the same heap)."""
    bodies = {**payloads(), "small chat completion": chat_answer()}
    raw = {name: json.dumps(bodies[name]).encode() for name, _, _ in SDK_CALLS}
    answers = {path: raw[name] for name, path, _ in SDK_CALLS}
    handler = type("Answers", (_Answers,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        measured = _worker_run("sdk-worker", f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    rows = []
    for name, _, _ in SDK_CALLS:
        if name not in measured:
            continue
        row: dict[str, Any] = {"call": name, "kb": round(len(raw[name]) / 1024, 1)}
        row.update(measured[name])
        row["sdk_over_specgen"] = round(row["openai_sdk_ms"] / row["specgen_ms"], 1)
        rows.append(row)
    return rows


def sdk_worker(url: str) -> None:
    """Print, as JSON, the median milliseconds per call of each side (see ``sdk_calls``)."""
    try:
        import openai
    except ImportError:
        print("  (openai SDK comparison skipped: the openai package is missing)", file=sys.stderr)
        print("{}")
        return
    generated_on_path()
    import azure_openai_authoring
    import azure_openai_inference

    sdk = openai.AzureOpenAI(
        azure_endpoint=url, api_key="k", api_version="2024-02-01", max_retries=0
    )
    inference = azure_openai_inference.Client(endpoint=url, api_key="k", max_retries=0)
    authoring = azure_openai_authoring.Client(endpoint=url, api_key="k", max_retries=0)
    texts = [f"text {i}" for i in range(100)]
    messages: list[Any] = [{"role": "user", "content": "How far away is the moon?"}]
    sides: dict[str, dict[str, Callable[[], Any]]] = {
        "embeddings 100x1536": {
            "specgen": lambda: inference.embeddings.create("ada", body={"input": texts}),
            "openai_sdk": lambda: sdk.embeddings.create(
                model="ada", input=texts, encoding_format="float"
            ),
        },
        "file list 10,000": {
            "specgen": lambda: authoring.files.list(),
            "openai_sdk": lambda: sdk.files.list(),
        },
        "small chat completion": {
            "specgen": lambda: inference.chat_completions.create(
                "gpt-35-turbo", body={"messages": messages}
            ),
            "openai_sdk": lambda: sdk.chat.completions.create(
                model="gpt-35-turbo", messages=messages
            ),
        },
    }
    results: dict[str, dict[str, float]] = {}
    for name, _, per_sample in SDK_CALLS:
        calls = sides[name]
        for side, call in calls.items():  # a warm-up, and proof both decoded the same answer
            _same_answer(name, side, call())
        samples = {side: _repeated(call, per_sample) for side, call in calls.items()}
        seconds = interleaved_medians(samples, DECODE_REPEAT)
        results[name] = {f"{k}_ms": round(v / per_sample * 1000, 3) for k, v in seconds.items()}
    print(json.dumps(results))


def _repeated(call: Callable[[], Any], times: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(times):
            call()

    return run


def _same_answer(name: str, side: str, result: Any) -> None:
    """Fail the benchmark unless ``result`` is the whole decoded answer: a side that decoded
    less than the other would not be timed like for like."""
    if name.startswith("embeddings"):
        got = (len(result.data), len(result.data[-1].embedding))
        expected: object = (100, 1536)
    elif name.startswith("file"):
        got = (len(result.data), result.data[-1].id)
        expected = (10_000, "file-9999")
    else:
        got = result.choices[0].message.content
        expected = chat_answer()["choices"][0]["message"]["content"]
    if got != expected:
        raise SystemExit(f"sdk-worker: {side} decoded {got!r} for {name}, not {expected!r}")


# --------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> None:
    global REPEAT, LARGE_REPEAT, DECODE_REPEAT
    parser = argparse.ArgumentParser(description="specgen's benchmarks (make bench)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one run per figure instead of medians: a check that all runs, not figures to keep",
    )
    parser.add_argument(
        "--only",
        metavar="WORDS",
        help=f"comma-separated: sections ({', '.join(SECTIONS)}) and specs of the generation "
        "section, by a part of their key (seed-authoring, seed-inference, preview, "
        "largest-yaml, largest-json, stripe, codat-31, visma-31)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="where the JSON goes (default: benchmarks/results.json for a full run, "
        "benchmarks/.cache/results.json for --quick or --only)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        os.environ["BENCH_REPEAT"] = "1"  # the decode workers read it too
        REPEAT, LARGE_REPEAT, DECODE_REPEAT = 1, 1, 10
    output = args.output or (
        sources.CACHE / "results.json"
        if args.quick or args.only
        else ROOT / "benchmarks" / "results.json"
    )
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "repeat": REPEAT,
            "repeat_large_specs": LARGE_REPEAT,
            "peer": f"{peer.REQUIREMENT}, with its post-generation hooks: {peer.HOOKS}",
        }
    }
    if args.only:
        results["machine"]["only"] = args.only
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sections, entries = chosen(args.only, generation_specs(work), parser)
        if entries:
            results["generation"] = generation(work, entries)
        if "scale" in sections:
            results["scale"] = scale(work)
    if "regeneration" in sections:
        results["regeneration"] = regeneration()
    if "decoding" in sections:
        results["decoding"] = decoding()
    if "imports" in sections:
        results["imports"] = import_times()
    if "overhead" in sections:
        results["overhead"] = request_overhead()
    if "sdk" in sections:
        results["sdk"] = sdk_calls()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nwritten to {output}")


def chosen(
    only: str | None, entries: list[Entry], parser: argparse.ArgumentParser
) -> tuple[set[str], list[Entry]]:
    """The sections and the generation specs that ``--only`` names (all without it)."""
    if not only:
        return set(SECTIONS), entries
    words = [word.strip() for word in only.split(",") if word.strip()]
    sections = {word for word in words if word in SECTIONS}
    picked = [e for e in entries if "generation" in sections or any(w in e.key for w in words)]
    unknown = [w for w in words if w not in SECTIONS and not any(w in e.key for e in entries)]
    if unknown:
        parser.error(f"--only: no section or spec matches {', '.join(unknown)}")
    return sections, picked


def print_table(results: dict[str, Any]) -> None:
    print(f"machine: {results['machine']}")
    if "generation" in results:
        print_generation(results["generation"])
    if "scale" in results:
        print("\nscale (inference spec copied)")
        for row in results["scale"]:
            print(f"  {row['copies']}x {row['kb']:>6} KB {row['seconds']:>7.3f} s  x{row['ratio']}")
    if "regeneration" in results:
        reg = results["regeneration"]
        print(
            f"\nspecgen check, nothing changed: {reg['per_spec_cached']:.3f} s per spec "
            f"(without the hash cache: {reg['per_spec_uncached']:.3f} s)"
        )
    if "decoding" in results:
        print("\ndecoding")
        for row in results["decoding"]:
            print(f"  {row}")
    if "imports" in results:
        print("\nimport time")
        for row in results["imports"]:
            print(f"  {row['module']:<24} {row['ms']:>7.1f} ms  x{row['ratio']}")
    if "overhead" in results:
        print(f"\nper-request overhead: {results['overhead']}")
    if "sdk" in results:
        print("\nwhole calls, generated client against the openai SDK (same server, same bytes)")
        print(f"  {'call':<24} {'KB':>6} {'specgen':>11} {'openai SDK':>11} {'SDK/specgen':>12}")
        for row in results["sdk"]:
            print(
                f"  {row['call']:<24} {row['kb']:>6.1f} {row['specgen_ms']:>8.3f} ms "
                f"{row['openai_sdk_ms']:>8.3f} ms {'x' + str(row['sdk_over_specgen']):>12}"
            )


def print_generation(rows: list[dict[str, Any]]) -> None:
    print(
        "\nspecgen generate against openapi-python-client (whole processes on the same file, "
        "in turns, medians)"
    )
    print(
        f"  {'spec':<44} {'version':<13} {'MB JSON':>7} {'specgen':>9} {'s/MB':>6} "
        f"{'peer':>8} {'ratio':>6}"
    )
    for row in rows:
        if "unavailable" in row:
            print(f"  {row['key']:<44} unavailable: {row['unavailable']}")
            continue
        ours = f"{row['seconds']:.3f} s" if "seconds" in row else "refused"
        per_mb = f"{row['s_per_mb']:.2f}" if "s_per_mb" in row else "-"
        theirs = f"{row['peer_seconds']:.2f} s" if "peer_seconds" in row else "failed"
        ratio = f"x{row['ratio']}" if "ratio" in row else "-"
        print(
            f"  {row['spec']:<44} {row['openapi']:<13} {row['mb_json']:>7.3f} {ours:>9} "
            f"{per_mb:>6} {theirs:>8} {ratio:>6}"
        )
        for note in generation_notes(row):
            print(f"      {note}")


def generation_notes(row: dict[str, Any]) -> list[str]:
    notes = []
    if "stages" in row:
        notes.append("stages: " + ", ".join(f"{k} {v:.3f}" for k, v in row["stages"].items()))
    runs = [
        f"{side} {row[key]}"
        for side, key in (("specgen", "specgen_runs"), ("peer", "peer_runs"))
        if key in row
    ]
    if runs:
        notes.append(f"runs: {', '.join(runs)}")
    if "refused" in row:
        notes.append(f"specgen {row['refused']}")
    if "peer_failure" in row:
        after = f" after {row['peer_failure_seconds']} s" if "peer_failure_seconds" in row else ""
        notes.append(f"peer failed{after}: {row['peer_failure']}")
    if "peer_config" in row and "peer_seconds" in row:
        notes.append(f"peer timed with the config its error advises: {row['peer_config']}")
    if "peer_endpoints" in row:
        notes.append(
            f"peer wrote {row['peer_endpoints']} endpoints for the spec's {row['operations']} "
            f"operations ({row['peer_warnings']} pieces left out with a warning)"
        )
    check = row.get("output_check")
    if check:
        notes.append(
            f"output: import of every module {check['import']} ({check['modules'] or '?'} "
            f"modules, {check['import_seconds']} s), mypy --strict {check['mypy_strict']} "
            f"({check['mypy_seconds']} s, {check['mypy_errors']} errors)"
        )
        problem = check["import_failure"] or check["mypy_first_error"]
        if problem:
            notes.append(f"  first: {problem}")
    missed = [name for name, met in row["targets"].items() if met is False]
    unjudged = [name for name, met in row["targets"].items() if met is None]
    notes.append(
        "targets: "
        + ("missed " + ", ".join(missed) if missed else "no target missed")
        + (f" (not judged: {', '.join(unjudged)})" if unjudged else "")
    )
    return notes


if __name__ == "__main__":
    if sys.argv[1:2] == ["decode-worker"]:
        decode_worker()
    elif sys.argv[1:2] == ["sdk-worker"]:
        sdk_worker(sys.argv[2])
    else:
        main()
