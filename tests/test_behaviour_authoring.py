"""Behaviour of the generated authoring client (generated/azure-openai-authoring) on the wire.

Every operation of `Client` is driven against the recording server of `tests/server.py`
with replies shaped like the real service's (the spec's x-ms-examples): the tests check
what the server receives (method, path, query, headers, body) and what the client
decodes (models, enums, datetimes, unknown members), errors included.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.helpers import ROOT, import_generated
from tests.server import Recorded, Reply, Server

PROJECT = ROOT / "generated" / "azure-openai-authoring"
API_VERSION = "2023-05-15"
API_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
USER_AGENT = "azure-openai-authoring/0.1.0 specgen/0.1.0"
UTC = dt.UTC

FILE_ID = "file-181a1cbdcdcf4677ada87f63a0928099"
FT_ID = "ft-72a2792ef7d24ba7b82c7fe4a37e379f"
FT_MODEL_ID = "curie.ft-72a2792ef7d24ba7b82c7fe4a37e379f"
CREATED = dt.datetime(2022, 3, 1, 9, 15, 27, tzinfo=UTC)  # 1646126127
UPDATED = dt.datetime(2022, 3, 1, 9, 35, 11, tzinfo=UTC)  # 1646127311

# --------------------------------------------------------------------------- replies

TRAINING_FILE = {
    "statistics": {"tokens": 42, "examples": 23},
    "bytes": 140,
    "purpose": "fine-tune",
    "filename": "puppy.jsonl",
    "id": FILE_ID,
    "status": "succeeded",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "file",
}
RESULTS_FILE = {
    "bytes": 32423,
    "purpose": "fine-tune-results",
    "filename": "results.csv",
    "id": "file-9f3c1b7e0a2d4c6e8b1a3d5f7e9c2b4a",
    "status": "succeeded",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "file",
}
NEW_FILE = {
    "purpose": "fine-tune",
    "filename": "puppy.jsonl",
    "id": FILE_ID,
    "status": "notRunning",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "file",
}
EVENTS = [
    {
        "created_at": 1646126127,
        "level": "info",
        "message": "Job enqueued. Waiting for jobs ahead to complete.",
        "object": "fine-tune-event",
    },
    {
        "created_at": 1646126169,
        "level": "info",
        "message": "Job started.",
        "object": "fine-tune-event",
    },
    {
        "created_at": 1646126192,
        "level": "info",
        "message": "Job succeeded.",
        "object": "fine-tune-event",
    },
]
FINE_TUNE = {
    "hyperparams": {
        "batch_size": 32,
        "learning_rate_multiplier": 1,
        "n_epochs": 2,
        "prompt_loss_weight": 0.1,
    },
    "model": "curie",
    "fine_tuned_model": FT_MODEL_ID,
    "training_files": [TRAINING_FILE],
    "result_files": [RESULTS_FILE],
    "events": EVENTS,
    "id": FT_ID,
    "status": "succeeded",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "fine-tune",
}
NEW_FINE_TUNE = {
    "hyperparams": {
        "compute_classification_metrics": True,
        "classification_n_classes": 4,
        "batch_size": 32,
        "learning_rate_multiplier": 1,
        "n_epochs": 2,
        "prompt_loss_weight": 0.1,
    },
    "model": "curie",
    "training_files": [TRAINING_FILE],
    "id": FT_ID,
    "status": "notRunning",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "fine-tune",
}
CANCELED_FINE_TUNE = {
    **{k: v for k, v in FINE_TUNE.items() if k not in ("fine_tuned_model", "result_files")},
    "status": "canceled",
    "events": [*EVENTS[:2], {**EVENTS[2], "message": "Job canceled."}],
}
BASE_MODEL = {
    "capabilities": {
        "fine_tune": True,
        "inference": True,
        "completion": True,
        "chat_completion": False,
        "embeddings": False,
    },
    "lifecycle_status": "generally-available",
    "deprecation": {"fine_tune": 1677662127, "inference": 1709284527},
    "id": "curie",
    "status": "succeeded",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "model",
}
FINE_TUNED_MODEL = {
    "model": "curie",
    "fine_tune": FT_ID,
    "capabilities": {
        "fine_tune": False,
        "inference": True,
        "completion": True,
        "chat_completion": False,
        "embeddings": False,
    },
    "lifecycle_status": "generally-available",
    "deprecation": {"inference": 1709284527},
    "id": FT_MODEL_ID,
    "status": "succeeded",
    "created_at": 1646126127,
    "updated_at": 1646127311,
    "object": "model",
}
NOT_FOUND = {
    "error": {
        "code": "notFound",
        "message": f"The specified file '{FILE_ID}' could not be found.",
    }
}
INVALID_PAYLOAD = {
    "error": {
        "code": "invalidPayload",
        "message": "The specified training file is not valid.",
        "target": "training_file",
        "details": [
            {
                "code": "jsonlValidationFailed",
                "message": "Line 3 is not a valid JSON object.",
                "target": "training_file",
            }
        ],
        "innererror": {"code": "invalidPayload"},
    }
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def aoai() -> ModuleType:
    return import_generated(PROJECT, "azure_openai_authoring")


@pytest.fixture
def client(aoai: ModuleType, server: Server) -> Iterator[Any]:
    """A client built from the `{endpoint}/openai` host template, without retries."""
    with aoai.Client(endpoint=server.url, api_key=API_KEY, max_retries=0) as c:
        yield c


def assert_sent(request: Recorded, method: str, path: str, **query: str) -> None:
    """The envelope every operation shares: method, raw path, query, credentials, agent."""
    assert (request.method, request.path) == (method, path)
    assert request.query == {"api-version": [API_VERSION], **{k: [v] for k, v in query.items()}}
    assert request.headers["api-key"] == API_KEY
    assert "authorization" not in request.headers
    assert request.headers["user-agent"] == USER_AGENT


def assert_no_body(request: Recorded) -> None:
    assert request.body == b""
    assert "content-type" not in request.headers


# --------------------------------------------------------------------------- files


def test_files_list(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on(
        "GET",
        "/openai/files",
        Reply(200, {"data": [TRAINING_FILE, RESULTS_FILE], "object": "list"}),
    )

    result = client.files.list()

    assert_sent(server.last, "GET", "/openai/files")
    assert_no_body(server.last)
    assert server.last.headers["accept"] == "application/json"
    assert isinstance(result, m.FileList)
    assert result.object is m.TypeDiscriminator.LIST
    training, results = result.data
    assert isinstance(training, m.File)
    assert (training.id, training.filename, training.bytes) == (FILE_ID, "puppy.jsonl", 140)
    assert training.purpose is m.Purpose.FINE_TUNE
    assert training.status is m.State.SUCCEEDED
    assert (training.created_at, training.updated_at) == (CREATED, UPDATED)
    assert training.statistics == m.FileStatistics(tokens=42, examples=23)
    assert training.error is None
    assert results.purpose is m.Purpose.FINE_TUNE_RESULTS
    assert results.statistics is None


@pytest.fixture
def upload_reply(server: Server) -> None:
    server.on(
        "POST",
        "/openai/files",
        Reply(201, NEW_FILE, {"Location": f"{server.url}/openai/files/{FILE_ID}"}),
    )


JSONL = b'{"prompt": "<prompt text>", "completion": "<ideal generated text>"}\n' * 3


def upload_as_bytes(tmp_path: Path) -> Any:
    return JSONL


def upload_as_path(tmp_path: Path) -> Any:
    path = tmp_path / "puppy.jsonl"
    path.write_bytes(JSONL)
    return path


def upload_as_str_path(tmp_path: Path) -> Any:
    return str(upload_as_path(tmp_path))


def upload_as_file_object(tmp_path: Path) -> Any:
    return upload_as_path(tmp_path).open("rb")


def upload_as_tuple(tmp_path: Path) -> Any:
    return ("puppy.jsonl", JSONL, "application/jsonl")


def upload_as_bytesio_tuple(tmp_path: Path) -> Any:
    return ("puppy.jsonl", io.BytesIO(JSONL), "application/jsonl")


@pytest.mark.parametrize(
    ("make_file", "filename", "content_type"),
    [
        (upload_as_bytes, "upload", "application/octet-stream"),
        (upload_as_path, "puppy.jsonl", "application/octet-stream"),
        (upload_as_str_path, "puppy.jsonl", "application/octet-stream"),
        (upload_as_file_object, "puppy.jsonl", "application/octet-stream"),
        (upload_as_tuple, "puppy.jsonl", "application/jsonl"),
        (upload_as_bytesio_tuple, "puppy.jsonl", "application/jsonl"),
    ],
)
@pytest.mark.usefixtures("upload_reply")
def test_files_upload_sends_purpose_and_file_part(
    client: Any,
    server: Server,
    tmp_path: Path,
    make_file: Callable[[Path], Any],
    filename: str,
    content_type: str,
) -> None:
    file = make_file(tmp_path)
    try:
        client.files.upload(purpose="fine-tune", file=file)
    finally:
        if hasattr(file, "close"):
            file.close()

    assert_sent(server.last, "POST", "/openai/files")
    assert server.last.content_type.startswith("multipart/form-data; boundary=")
    parts = {part.name: part for part in server.last.multipart()}
    assert sorted(parts) == ["file", "purpose"]
    assert (parts["purpose"].filename, parts["purpose"].data) == (None, b"fine-tune")
    file_part = parts["file"]
    assert (file_part.filename, file_part.content_type, file_part.data) == (
        filename,
        content_type,
        JSONL,
    )


@pytest.mark.usefixtures("upload_reply")
def test_files_upload_accepts_the_purpose_enum_and_decodes_the_new_file(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    result = client.files.upload(purpose=m.Purpose.FINE_TUNE, file=("puppy.jsonl", JSONL))

    purpose = next(p for p in server.last.multipart() if p.name == "purpose")
    assert purpose.data == b"fine-tune"
    assert isinstance(result, m.File)
    assert (result.id, result.status, result.created_at) == (FILE_ID, m.State.NOT_RUNNING, CREATED)
    assert result.purpose is m.Purpose.FINE_TUNE


def test_files_get(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on("GET", f"/openai/files/{FILE_ID}", Reply(200, TRAINING_FILE))

    result = client.files.get(FILE_ID)

    assert_sent(server.last, "GET", f"/openai/files/{FILE_ID}")
    assert_no_body(server.last)
    assert isinstance(result, m.File)
    assert result.id == FILE_ID
    assert result.object is m.TypeDiscriminator.FILE
    assert isinstance(result.statistics, m.FileStatistics)
    assert (result.statistics.tokens, result.statistics.examples) == (42, 23)
    assert isinstance(result.created_at, dt.datetime)
    assert result.created_at == CREATED and result.created_at.tzinfo is not None


def test_files_get_of_a_failed_import_decodes_the_nested_error(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    failed = {
        **NEW_FILE,
        "status": "failed",
        "error": {"code": "fileImportFailed", "message": "The content url returned 403."},
    }
    server.on("GET", f"/openai/files/{FILE_ID}", Reply(200, failed))

    result = client.files.get(FILE_ID)

    assert result.status is m.State.FAILED
    assert isinstance(result.error, m.Error)
    assert result.error.code is m.ErrorCode.FILE_IMPORT_FAILED
    assert result.error.message == "The content url returned 403."


def test_files_delete(client: Any, server: Server) -> None:
    server.on("DELETE", f"/openai/files/{FILE_ID}", Reply(204))

    assert client.files.delete(FILE_ID) is None

    assert_sent(server.last, "DELETE", f"/openai/files/{FILE_ID}")
    assert_no_body(server.last)


def test_files_get_content_returns_the_raw_bytes(client: Any, server: Server) -> None:
    content = b"step,elapsed_tokens\r\n1,4096\r\n\x00\xff\xfe binary tail"
    server.on(
        "GET",
        f"/openai/files/{FILE_ID}/content",
        Reply(200, content, content_type="application/octet-stream"),
    )

    result = client.files.get_content(FILE_ID)

    assert_sent(server.last, "GET", f"/openai/files/{FILE_ID}/content")
    assert isinstance(result, bytes)
    assert result == content


def test_files_get_content_accepts_octet_stream(client: Any, server: Server) -> None:
    # The spec's `produces` is [application/octet-stream, application/json]: a file
    # download must not ask for JSON only.
    server.on("GET", f"/openai/files/{FILE_ID}/content", Reply(200, b"raw file content"))

    client.files.get_content(FILE_ID)

    accepted = [t.strip() for t in server.last.headers["accept"].split(",")]
    assert "application/octet-stream" in accepted


def test_files_get_content_streamed_reads_and_writes_the_body(
    client: Any, server: Server, tmp_path: Path
) -> None:
    content = b"step,elapsed_tokens,training_loss\n" + b"1,4096,0.42\n" * 20_000  # > 1 chunk
    server.on(
        "GET",
        f"/openai/files/{FILE_ID}/content",
        Reply(200, content, content_type="application/octet-stream"),
    )

    with client.files.get_content_streamed(FILE_ID) as download:
        assert download.content_type == "application/octet-stream"
        assert download.read() == content
    written = client.files.get_content_streamed(FILE_ID).write_to(tmp_path / "results.csv")

    assert_sent(server.last, "GET", f"/openai/files/{FILE_ID}/content")
    assert written == len(content)
    assert (tmp_path / "results.csv").read_bytes() == content


def test_raw_response_exposes_status_headers_and_the_parsed_value(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    server.on(
        "POST",
        "/openai/files/import",
        Reply(
            201,
            NEW_FILE,
            {"apim-request-id": "9d1e", "Location": f"{server.url}/openai/files/{FILE_ID}"},
        ),
    )

    raw = client.files.with_raw_response.import_(
        file_import={"purpose": "fine-tune", "filename": "f.jsonl", "content_url": "https://x/y"}
    )

    assert (raw.status_code, raw.request_id) == (201, "9d1e")
    assert raw.headers["location"].endswith(f"/openai/files/{FILE_ID}")
    assert isinstance(raw.parse(), aoai.models.File) and raw.parse().id == FILE_ID


def test_files_import_with_a_model(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on("POST", "/openai/files/import", Reply(201, NEW_FILE))
    file_import = m.FileImport(
        purpose=m.Purpose.FINE_TUNE,
        filename="puppy.jsonl",
        content_url="https://www.contoso.com/trainingdata/puppy.jsonl",
    )

    result = client.files.import_(file_import=file_import)

    assert_sent(server.last, "POST", "/openai/files/import")
    assert server.last.content_type == "application/json"
    assert server.last.json() == {
        "purpose": "fine-tune",
        "filename": "puppy.jsonl",
        "content_url": "https://www.contoso.com/trainingdata/puppy.jsonl",
    }
    assert isinstance(result, m.File)
    assert (result.id, result.status) == (FILE_ID, m.State.NOT_RUNNING)


def test_files_import_with_a_plain_mapping(client: Any, server: Server) -> None:
    server.on("POST", "/openai/files/import", Reply(201, NEW_FILE))
    body = {
        "purpose": "fine-tune",
        "filename": "puppy.jsonl",
        "content_url": "https://contoso.blob.core.windows.net/data/puppy.jsonl?sv=2022&sig=x%2By",
    }

    client.files.import_(file_import=body)

    assert server.last.json() == body


# --------------------------------------------------------------------------- fine-tunes


def test_fine_tunes_list(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on("GET", "/openai/fine-tunes", Reply(200, {"data": [FINE_TUNE], "object": "list"}))

    result = client.fine_tunes.list()

    assert_sent(server.last, "GET", "/openai/fine-tunes")
    assert_no_body(server.last)
    assert isinstance(result, m.FineTuneList)
    assert result.object is m.TypeDiscriminator.LIST
    (job,) = result.data
    assert isinstance(job, m.FineTune)
    assert (job.id, job.model, job.fine_tuned_model) == (FT_ID, "curie", FT_MODEL_ID)
    assert job.status is m.State.SUCCEEDED
    assert job.object is m.TypeDiscriminator.FINE_TUNE
    assert [f.id for f in job.training_files] == [FILE_ID]
    assert job.result_files[0].purpose is m.Purpose.FINE_TUNE_RESULTS
    assert job.validation_files is None


def test_fine_tunes_create_sends_only_the_set_members(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    server.on(
        "POST",
        "/openai/fine-tunes",
        Reply(201, NEW_FINE_TUNE, {"Location": f"{server.url}/openai/fine-tunes/{FT_ID}"}),
    )
    creation = m.FineTuneCreation(
        model="curie",
        training_file=FILE_ID,
        compute_classification_metrics=True,
        classification_n_classes=4,
        classification_betas=[0.5, 1.0, 2.0],
    )

    result = client.fine_tunes.create(fine_tune=creation)

    assert_sent(server.last, "POST", "/openai/fine-tunes")
    assert server.last.content_type == "application/json"
    assert server.last.json() == {
        "model": "curie",
        "training_file": FILE_ID,
        "compute_classification_metrics": True,
        "classification_n_classes": 4,
        "classification_betas": [0.5, 1.0, 2.0],
    }
    assert isinstance(result, m.FineTune)
    assert result.status is m.State.NOT_RUNNING
    assert isinstance(result.hyperparams, m.HyperParameters)
    assert result.hyperparams.compute_classification_metrics is True
    assert result.hyperparams.classification_n_classes == 4
    assert result.hyperparams.batch_size == 32
    assert result.hyperparams.prompt_loss_weight == 0.1
    assert result.events is None and result.fine_tuned_model is None


def test_fine_tunes_create_with_a_plain_mapping(client: Any, server: Server) -> None:
    server.on("POST", "/openai/fine-tunes", Reply(201, NEW_FINE_TUNE))
    body = {"model": "curie", "training_file": FILE_ID, "suffix": "puppy", "n_epochs": 3}

    client.fine_tunes.create(fine_tune=body)

    assert server.last.json() == body


def test_fine_tunes_get(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on("GET", f"/openai/fine-tunes/{FT_ID}", Reply(200, FINE_TUNE))

    result = client.fine_tunes.get(FT_ID)

    assert_sent(server.last, "GET", f"/openai/fine-tunes/{FT_ID}")
    assert_no_body(server.last)
    assert isinstance(result, m.FineTune)
    assert [e.message for e in result.events] == [e["message"] for e in EVENTS]
    first = result.events[0]
    assert isinstance(first, m.Event)
    assert first.level is m.LogLevel.INFO
    assert first.object is m.TypeDiscriminator.FINE_TUNE_EVENT
    assert first.created_at == CREATED
    assert result.hyperparams.n_epochs == 2


def test_fine_tunes_delete(client: Any, server: Server) -> None:
    server.on("DELETE", f"/openai/fine-tunes/{FT_ID}", Reply(204))

    assert client.fine_tunes.delete(FT_ID) is None

    assert_sent(server.last, "DELETE", f"/openai/fine-tunes/{FT_ID}")
    assert_no_body(server.last)


def test_fine_tunes_get_events(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on(
        "GET", f"/openai/fine-tunes/{FT_ID}/events", Reply(200, {"data": EVENTS, "object": "list"})
    )

    result = client.fine_tunes.get_events(FT_ID)

    assert_sent(server.last, "GET", f"/openai/fine-tunes/{FT_ID}/events")  # no `stream`
    assert isinstance(result, m.EventList)
    assert [e.created_at for e in result.data] == [
        CREATED,
        dt.datetime(2022, 3, 1, 9, 16, 9, tzinfo=UTC),
        dt.datetime(2022, 3, 1, 9, 16, 32, tzinfo=UTC),
    ]
    assert all(isinstance(e, m.Event) for e in result.data)


def test_fine_tunes_get_events_streams_server_sent_events(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    # `stream=true` switches the reply to data-only server-sent events ending with
    # `data: [DONE]` (spec: produces text/event-stream); each event is an Event.
    sse = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in EVENTS)
    server.on(
        "GET",
        f"/openai/fine-tunes/{FT_ID}/events",
        Reply(200, sse + b"data: [DONE]\n\n", content_type="text/event-stream"),
    )

    stream = client.fine_tunes.get_events(FT_ID, stream=True)
    events = list(stream)

    assert_sent(server.last, "GET", f"/openai/fine-tunes/{FT_ID}/events", stream="true")
    assert server.last.headers["accept"] == "text/event-stream"
    assert all(isinstance(e, aoai.models.Event) for e in events)
    assert [e.message for e in events] == [e["message"] for e in EVENTS]
    assert events[-1].created_at == dt.datetime(2022, 3, 1, 9, 16, 32, tzinfo=UTC)
    assert stream.response.is_closed


def test_fine_tunes_cancel(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on("POST", f"/openai/fine-tunes/{FT_ID}/cancel", Reply(200, CANCELED_FINE_TUNE))

    result = client.fine_tunes.cancel(FT_ID)

    assert_sent(server.last, "POST", f"/openai/fine-tunes/{FT_ID}/cancel")
    assert_no_body(server.last)
    assert isinstance(result, m.FineTune)
    assert result.status is m.State.CANCELED
    assert result.events[-1].message == "Job canceled."
    assert result.fine_tuned_model is None and result.result_files is None


# --------------------------------------------------------------------------- models


def test_models_list(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on(
        "GET",
        "/openai/models",
        Reply(200, {"data": [BASE_MODEL, FINE_TUNED_MODEL], "object": "list"}),
    )

    result = client.models.list()

    assert_sent(server.last, "GET", "/openai/models")
    assert_no_body(server.last)
    assert isinstance(result, m.ModelList)
    base, tuned = result.data
    assert isinstance(base, m.Model)
    assert (base.id, base.model, base.fine_tune) == ("curie", None, None)
    assert base.capabilities == m.Capabilities(
        fine_tune=True, inference=True, completion=True, chat_completion=False, embeddings=False
    )
    assert base.deprecation.fine_tune == dt.datetime(2023, 3, 1, 9, 15, 27, tzinfo=UTC)
    assert base.deprecation.inference == dt.datetime(2024, 3, 1, 9, 15, 27, tzinfo=UTC)
    assert (tuned.model, tuned.fine_tune) == ("curie", FT_ID)
    assert tuned.deprecation.fine_tune is None


def test_models_get(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on("GET", f"/openai/models/{FT_MODEL_ID}", Reply(200, FINE_TUNED_MODEL))

    result = client.models.get(FT_MODEL_ID)

    assert_sent(server.last, "GET", f"/openai/models/{FT_MODEL_ID}")
    assert_no_body(server.last)
    assert isinstance(result, m.Model)
    assert result.lifecycle_status is m.LifeCycleStatus.GENERALLY_AVAILABLE
    assert result.object is m.TypeDiscriminator.MODEL
    assert isinstance(result.capabilities, m.Capabilities)
    assert result.capabilities.fine_tune is False and result.capabilities.inference is True
    assert isinstance(result.deprecation, m.Deprecation)
    assert result.deprecation.inference == dt.datetime(2024, 3, 1, 9, 15, 27, tzinfo=UTC)
    assert (result.created_at, result.updated_at) == (CREATED, UPDATED)


# --------------------------------------------------------------------------- the envelope

PATH_PARAM_CALLS = [
    ("files.get", "GET", "/openai/files/{}"),
    ("files.delete", "DELETE", "/openai/files/{}"),
    ("files.get_content", "GET", "/openai/files/{}/content"),
    ("fine_tunes.get", "GET", "/openai/fine-tunes/{}"),
    ("fine_tunes.delete", "DELETE", "/openai/fine-tunes/{}"),
    ("fine_tunes.get_events", "GET", "/openai/fine-tunes/{}/events"),
    ("fine_tunes.cancel", "POST", "/openai/fine-tunes/{}/cancel"),
    ("models.get", "GET", "/openai/models/{}"),
]
PATH_PARAM_REPLIES = {
    "files.get": TRAINING_FILE,
    "files.get_content": "raw file content",
    "fine_tunes.get": FINE_TUNE,
    "fine_tunes.get_events": {"data": [], "object": "list"},
    "fine_tunes.cancel": CANCELED_FINE_TUNE,
    "models.get": FINE_TUNED_MODEL,
}


def operation(client: Any, dotted: str) -> Callable[..., Any]:
    group, name = dotted.split(".")
    return getattr(getattr(client, group), name)


@pytest.mark.parametrize(("op", "method", "path"), PATH_PARAM_CALLS)
def test_path_parameters_are_percent_encoded(
    client: Any, server: Server, op: str, method: str, path: str
) -> None:
    body = PATH_PARAM_REPLIES.get(op)
    server.replies = [Reply(204) if body is None else Reply(200, body)]

    operation(client, op)("a/b?c")

    assert_sent(server.last, method, path.format("a%2Fb%3Fc"))


def test_api_version_and_default_headers_can_be_overridden(
    aoai: ModuleType, server: Server
) -> None:
    server.on("GET", "/openai/models", Reply(200, {"data": [], "object": "list"}))
    with aoai.Client(
        endpoint=server.url + "/",
        api_key=API_KEY,
        api_version="2022-12-01",
        default_headers={"x-ms-client-request-id": "9c6a1f4e"},
    ) as client:
        client.models.list(extra_headers={"x-trace": "1"}, extra_query={"debug": "true"})

    request = server.last
    assert request.path == "/openai/models"
    assert request.query == {"api-version": ["2022-12-01"], "debug": ["true"]}
    assert request.headers["x-ms-client-request-id"] == "9c6a1f4e"
    assert request.headers["x-trace"] == "1"


def test_token_provider_sends_a_bearer_token_instead_of_a_key(
    aoai: ModuleType, server: Server
) -> None:
    server.on("GET", "/openai/models", Reply(200, {"data": [], "object": "list"}))
    with aoai.Client(endpoint=server.url, token_provider=lambda: "eyJ0eXAiOiJKV1Qi") as client:
        client.models.list()

    assert server.last.headers["authorization"] == "Bearer eyJ0eXAiOiJKV1Qi"
    assert "api-key" not in server.last.headers


# --------------------------------------------------------------------------- decoding


def test_unknown_members_are_kept_and_written_back(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    reply = {
        **NEW_FILE,
        "statistics": {"tokens": 42, "examples": 23, "invalid_lines": 0},
        "region": "swedencentral",
        "labels": {"team": "nlp"},
    }
    server.on("GET", f"/openai/files/{FILE_ID}", Reply(200, reply))

    result = client.files.get(FILE_ID)

    assert result.additional_properties == {"region": "swedencentral", "labels": {"team": "nlp"}}
    assert result.statistics.additional_properties == {"invalid_lines": 0}
    written = result.to_dict()
    assert written["region"] == "swedencentral" and written["labels"] == {"team": "nlp"}
    assert written["statistics"] == {"tokens": 42, "examples": 23, "invalid_lines": 0}
    assert json.loads(json.dumps(written))["purpose"] == "fine-tune"


def test_unknown_enum_values_are_kept_as_strings(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    reply = {**TRAINING_FILE, "status": "validating", "purpose": "assistants"}
    server.on("GET", f"/openai/files/{FILE_ID}", Reply(200, reply))

    result = client.files.get(FILE_ID)

    assert (result.status, result.purpose) == ("validating", "assistants")
    assert not isinstance(result.status, aoai.models.State)


def test_a_missing_required_member_reads_none_but_a_page_is_a_validation_error(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    incomplete = {k: v for k, v in TRAINING_FILE.items() if k != "filename"}  # required
    server.on("GET", f"/openai/files/{FILE_ID}", Reply(200, incomplete))
    server.on("GET", "/openai/files", Reply(200, "<html>gateway</html>"))

    file = client.files.get(FILE_ID)  # decoded as the official SDK does
    assert (file.id, file.filename, file.bytes) == (FILE_ID, None, TRAINING_FILE["bytes"])
    with pytest.raises(aoai.ApiResponseValidationError):
        client.files.list()


# --------------------------------------------------------------------------- errors


def test_not_found_raises_with_the_decoded_error(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    server.on(
        "GET",
        f"/openai/files/{FILE_ID}",
        Reply(404, NOT_FOUND, {"apim-request-id": "6f0bb1b2-2b3b-4d0c-9a7e-8d1c1f1e2a3b"}),
    )

    with pytest.raises(aoai.NotFoundError) as info:
        client.files.get(FILE_ID)

    exc = info.value
    assert isinstance(exc, aoai.ApiError) and isinstance(exc, aoai.ClientError)
    assert exc.status_code == 404
    assert exc.request_id == "6f0bb1b2-2b3b-4d0c-9a7e-8d1c1f1e2a3b"
    assert exc.body == NOT_FOUND
    assert isinstance(exc.error, m.ErrorResponse)
    assert exc.error.error.code is m.ErrorCode.NOT_FOUND
    assert exc.error.error.message == NOT_FOUND["error"]["message"]
    assert (exc.code, exc.message) == ("notFound", NOT_FOUND["error"]["message"])
    assert "404" in str(exc) and "6f0bb1b2" in str(exc)
    assert API_KEY not in str(exc)


def test_bad_request_decodes_details_and_inner_error(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    server.on("POST", "/openai/fine-tunes", Reply(400, INVALID_PAYLOAD))

    with pytest.raises(aoai.BadRequestError) as info:
        client.fine_tunes.create(fine_tune={"model": "curie", "training_file": FILE_ID})

    error = info.value.error.error
    assert error.code is m.ErrorCode.INVALID_PAYLOAD
    assert error.target == "training_file"
    assert error.details[0].code is m.ErrorCode.JSONL_VALIDATION_FAILED
    assert isinstance(error.innererror, m.InnerError)
    assert error.innererror.code is m.InnerErrorCode.INVALID_PAYLOAD


@pytest.mark.parametrize(
    ("status", "code", "name"),
    [
        (400, "invalidPayload", "BadRequestError"),
        (401, "401", "AuthenticationError"),
        (403, "forbidden", "PermissionDeniedError"),
        (409, "conflict", "ConflictError"),
        (422, "unexpectedEntityState", "UnprocessableEntityError"),
        (429, "quotaExceeded", "RateLimitError"),
        (500, "internalFailure", "InternalServerError"),
        (503, "serviceUnavailable", "InternalServerError"),
    ],
)
def test_error_statuses_map_to_their_classes(
    client: Any, server: Server, aoai: ModuleType, status: int, code: str, name: str
) -> None:
    body = {"error": {"code": code, "message": f"status {status}"}}
    server.on(
        "POST",
        f"/openai/fine-tunes/{FT_ID}/cancel",
        Reply(status, body, {"apim-request-id": "r-1"}),
    )

    with pytest.raises(aoai.ApiError) as info:
        client.fine_tunes.cancel(FT_ID)

    exc = info.value
    assert type(exc) is getattr(aoai, name)
    assert (exc.status_code, exc.request_id, exc.body) == (status, "r-1", body)
    assert isinstance(exc.error, aoai.models.ErrorResponse)
    assert exc.error.error.code == code
    assert len(server.requests) == 1  # max_retries=0


def test_an_html_gateway_error_keeps_the_raw_text(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.on("GET", "/openai/models", Reply(502, page, {"x-ms-request-id": "gw-7"}))

    with pytest.raises(aoai.InternalServerError) as info:
        client.models.list()

    assert (info.value.error, info.value.body, info.value.request_id) == (None, page, "gw-7")


def test_rate_limited_requests_are_retried(aoai: ModuleType, server: Server) -> None:
    """After the delay the server asks for: ``retry-after-ms`` before ``Retry-After``."""
    limited = {"error": {"code": "429", "message": "Rate limit"}}
    server.replies = [
        Reply(429, limited, {"retry-after-ms": "1500", "Retry-After": "9"}),
        Reply(429, limited, {"Retry-After": "2"}),
        Reply(200, {"data": [BASE_MODEL], "object": "list"}),
    ]
    delays: list[float] = []
    with aoai.Client(endpoint=server.url, api_key=API_KEY, max_retries=2) as client:
        client._sleep = delays.append  # the delays asked for, without waiting them
        result = client.models.list()

    assert delays == [1.5, 2.0]
    assert [r.path for r in server.requests] == ["/openai/models"] * 3
    assert result.data[0].id == "curie"


def test_rate_limited_requests_are_retried_async(aoai: ModuleType, server: Server) -> None:
    server.replies = [
        Reply(429, {"error": {"code": "429", "message": "Rate limit"}}, {"retry-after-ms": "250"}),
        Reply(200, {"data": [BASE_MODEL], "object": "list"}),
    ]
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    async def main() -> Any:
        async with aoai.AsyncClient(endpoint=server.url, api_key=API_KEY, max_retries=2) as c:
            c._sleep = sleep
            return await c.models.list()

    assert asyncio.run(main()).data[0].id == "curie"
    assert delays == [0.25]
    assert len(server.requests) == 2


# --------------------------------------------------------------------------- async


def run_async(aoai: ModuleType, server: Server, body: Callable[[Any], Any]) -> Any:
    async def main() -> Any:
        async with aoai.AsyncClient(endpoint=server.url, api_key=API_KEY, max_retries=0) as c:
            return await body(c)

    return asyncio.run(main())


def test_async_files_list_and_get(aoai: ModuleType, server: Server) -> None:
    server.on("GET", "/openai/files", Reply(200, {"data": [TRAINING_FILE], "object": "list"}))
    server.on("GET", f"/openai/files/{FILE_ID}", Reply(200, TRAINING_FILE))

    async def body(client: Any) -> Any:
        return await client.files.list(), await client.files.get(FILE_ID)

    listed, got = run_async(aoai, server, body)

    assert_sent(server.requests[0], "GET", "/openai/files")
    assert_sent(server.requests[1], "GET", f"/openai/files/{FILE_ID}")
    assert isinstance(listed, aoai.models.FileList) and isinstance(got, aoai.models.File)
    assert got.created_at == CREATED and got.purpose is aoai.models.Purpose.FINE_TUNE


def test_async_files_upload(aoai: ModuleType, server: Server) -> None:
    server.on("POST", "/openai/files", Reply(201, NEW_FILE))

    async def body(client: Any) -> Any:
        return await client.files.upload(
            purpose="fine-tune", file=("puppy.jsonl", io.BytesIO(JSONL), "application/jsonl")
        )

    result = run_async(aoai, server, body)

    assert_sent(server.last, "POST", "/openai/files")
    parts = {p.name: p for p in server.last.multipart()}
    assert parts["purpose"].data == b"fine-tune"
    assert (parts["file"].filename, parts["file"].content_type, parts["file"].data) == (
        "puppy.jsonl",
        "application/jsonl",
        JSONL,
    )
    assert result.status is aoai.models.State.NOT_RUNNING


def test_async_fine_tunes_create_and_get_content(aoai: ModuleType, server: Server) -> None:
    server.on("POST", "/openai/fine-tunes", Reply(201, NEW_FINE_TUNE))
    server.on("GET", f"/openai/files/{FILE_ID}/content", Reply(200, b"\x00raw\xff"))

    async def body(client: Any) -> Any:
        job = await client.fine_tunes.create(
            fine_tune=aoai.models.FineTuneCreation(model="curie", training_file=FILE_ID)
        )
        return job, await client.files.get_content(FILE_ID)

    job, content = run_async(aoai, server, body)

    assert server.requests[0].json() == {"model": "curie", "training_file": FILE_ID}
    assert job.id == FT_ID and job.status is aoai.models.State.NOT_RUNNING
    assert content == b"\x00raw\xff"


def test_async_not_found(aoai: ModuleType, server: Server) -> None:
    server.on(
        "DELETE", f"/openai/fine-tunes/{FT_ID}", Reply(404, NOT_FOUND, {"apim-request-id": "r-2"})
    )

    async def body(client: Any) -> Any:
        with pytest.raises(aoai.NotFoundError) as info:
            await client.fine_tunes.delete(FT_ID)
        return info.value

    exc = run_async(aoai, server, body)

    assert exc.request_id == "r-2"
    assert exc.error.error.code is aoai.models.ErrorCode.NOT_FOUND


def test_async_get_events_stream(aoai: ModuleType, server: Server) -> None:
    sse = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in EVENTS)
    server.on(
        "GET",
        f"/openai/fine-tunes/{FT_ID}/events",
        Reply(200, sse + b"data: [DONE]\n\n", content_type="text/event-stream"),
    )

    async def body(client: Any) -> Any:
        stream = await client.fine_tunes.get_events(FT_ID, stream=True)
        return [event async for event in stream]

    events = run_async(aoai, server, body)

    assert server.last.query == {"api-version": [API_VERSION], "stream": ["true"]}
    assert [e.level for e in events] == [aoai.models.LogLevel.INFO] * 3
    assert events[1].message == "Job started."
