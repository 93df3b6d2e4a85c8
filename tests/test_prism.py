"""Both generated clients against Stoplight Prism, a mock server that validates every request.

Each seed spec is prepared for Prism (tests/prism.py) and served once per module. Every
operation of both clients is called with valid arguments; a request Prism rejects (422, an
error answer, or an ``sl-violations`` header) fails the test, and so does an answer that
does not decode into the declared model or whose ``to_dict()`` does not give back the JSON
Prism sent.

Modes: the authoring spec is served with ``--dynamic`` (bodies generated from the schemas;
seeded, so runs repeat): in static mode Prism builds its example of the recursive ``Error``
schema (``details: [Error]``) one level deep with the required ``code``/``message`` left out,
and then rejects its own answer. The inference spec is served in static mode, i.e. with the
spec's own examples; other calls ask for a generated body with ``Prefer: dynamic=true``.

Known bugs (of the published specs, or gaps of Prism) that would make Prism reject its own
answer are mended in the copy Prism serves (``CORRECTIONS`` in tests/prism.py), so every test
runs all its checks. The tests at the end serve each spec as published and show that each
bug is real: Prism's one complaint is the ``known_violation`` the correction mends.

Streaming is not served by Prism (no text/event-stream); the streamed calls are checked to
pass request validation only.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import wave
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.helpers import ROOT, import_generated
from tests.prism import (
    CORRECTIONS,
    Prism,
    free_port,
    prepare_openapi3,
    prepare_swagger2,
    require_tools,
    run_prism,
)

AUTHORING_SPEC = ROOT / "specs" / "azure-openai-authoring-2023-05-15.yaml"
INFERENCE_SPEC = ROOT / "specs" / "azure-openai-inference-2024-02-01.yaml"
AUTHORING = ROOT / "generated" / "azure-openai-authoring"
INFERENCE = ROOT / "generated" / "azure-openai-inference"
API_KEY = "k"
DYNAMIC = {"Prefer": "dynamic=true"}

FILE_ID = "file-181a1cbdcdcf4677ada87f63a0928099"
FT_ID = "ft-72a2792ef7d24ba7b82c7fe4a37e379f"
TRAINING_JSONL = (
    b'{"prompt": "<prompt text>", "completion": "<ideal generated text>"}\n'
    b'{"prompt": "<prompt text>", "completion": "<ideal generated text>"}\n'
)


def _wav() -> bytes:
    """0.1 s of 16 kHz mono silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * 1600)
    return buffer.getvalue()


WAV = _wav()


# --------------------------------------------------------------------------- checking


class ResponseViolation(AssertionError):
    """Prism accepted the request, but its own answer (made from the spec) violates the spec."""


_KNOWN_VIOLATIONS: dict[tuple[str, str], type[ResponseViolation]] = {}


def known_violation(location: str, code: str) -> type[ResponseViolation]:
    """The ResponseViolation subclass raised when Prism's only complaint about its answer is
    ``code`` at ``location`` (e.g. ``response.body.created``): what a precise xfail expects."""
    key = (location, code)
    if key not in _KNOWN_VIOLATIONS:
        name = f"ResponseViolation[{location}:{code}]"
        _KNOWN_VIOLATIONS[key] = type(name, (ResponseViolation,), {})
    return _KNOWN_VIOLATIONS[key]


def _violations(response: Any) -> list[dict[str, Any]]:
    """Prism's violations: its sl-violations header, else its problem+json's ``validation``."""
    raw = response.headers.get("sl-violations")
    if raw is not None:
        decoded = json.loads(raw)
        assert isinstance(decoded, list)
        return decoded
    if "problem+json" in response.headers.get("content-type", ""):
        validation = response.json().get("validation", [])
        assert isinstance(validation, list)
        return validation
    return []


def _where(violation: dict[str, Any]) -> str:
    return ".".join(map(str, violation["location"]))


def _describe(response: Any) -> str:
    lines = [f"{response.request.method} {response.request.url} -> {response.status_code}"]
    lines += [f"  {_where(v)}: {v['message']}" for v in _violations(response)]
    lines.append(f"  body: {response.text[:600]}")
    return "\n".join(lines)


def _check_response(response: Any) -> None:
    """Fail unless Prism accepted the request and answered as the spec says."""
    violations = _violations(response)
    on_request = [v for v in violations if v["location"][:1] != ["response"]]
    if response.status_code == 422 or on_request:
        raise AssertionError("Prism rejected the request:\n" + _describe(response))
    if violations:
        kinds = {(_where(v), str(v.get("code"))) for v in violations}
        error = _KNOWN_VIOLATIONS.get(next(iter(kinds))) if len(kinds) == 1 else None
        raise (error or ResponseViolation)(
            "Prism's answer violates the spec:\n" + _describe(response)
        )
    if response.is_error:
        raise AssertionError("Prism answered with an error:\n" + _describe(response))


@dataclass
class Peer:
    """A generated package and its clients, pointed at a running Prism."""

    prism: Prism
    package: ModuleType

    def client(self, **kwargs: Any) -> Any:
        return self.package.Client(
            endpoint=self.prism.endpoint, api_key=API_KEY, max_retries=0, **kwargs
        )

    def async_client(self, **kwargs: Any) -> Any:
        return self.package.AsyncClient(
            endpoint=self.prism.endpoint, api_key=API_KEY, max_retries=0, **kwargs
        )

    def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``method`` (a ``with_raw_response`` operation) called and checked: its RawResponse."""
        try:
            raw = method(*args, **kwargs)
        except self.package.ApiError as error:
            _check_response(error.response)
            raise
        _check_response(raw.http_response)
        return raw

    async def acall(self, method: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
        try:
            raw = await method(*args, **kwargs)
        except self.package.ApiError as error:
            _check_response(error.response)
            raise
        _check_response(raw.http_response)
        return raw


class RoundTripLoss(AssertionError):
    """The decoded answer's to_dict() does not give back the JSON Prism sent."""


def _differences(sent: Any, written: Any, path: str = "$") -> list[tuple[str, str]]:
    """(path, what) for each place where ``written`` is not ``sent``."""
    if isinstance(sent, dict) and isinstance(written, dict):
        found = [(f"{path}.{k}", "dropped") for k in sent if k not in written]
        found += [(f"{path}.{k}", "added") for k in written if k not in sent]
        for key in sent.keys() & written.keys():
            found += _differences(sent[key], written[key], f"{path}.{key}")
        return found
    if isinstance(sent, list) and isinstance(written, list) and len(sent) == len(written):
        return [
            d
            for i, (a, b) in enumerate(zip(sent, written))
            for d in _differences(a, b, f"{path}[{i}]")
        ]
    return [] if sent == written else [(path, f"{sent!r} became {written!r}")]


def parsed(raw: Any, model: type) -> Any:
    """The typed answer of ``raw``, checked to be a ``model``."""
    value = raw.parse()
    assert isinstance(value, model), f"{type(value).__name__} is not a {model.__name__}"
    return value


def assert_round_trip(raw: Any, value: Any) -> None:
    """to_dict() gives back the JSON Prism sent, and from_dict() of it the same model."""
    differences = sorted(_differences(raw.http_response.json(), value.to_dict()))
    if differences:
        raise RoundTripLoss(
            f"{type(value).__name__}.to_dict() differs from the answer in "
            f"{len(differences)} place(s):\n  "
            + "\n  ".join(f"{path}: {what}" for path, what in differences[:25])
        )
    assert type(value).from_dict(value.to_dict()) == value


def assert_model(raw: Any, model: type) -> Any:
    """The answer decodes into a ``model`` that round-trips through to_dict()."""
    value = parsed(raw, model)
    assert_round_trip(raw, value)
    return value


# --------------------------------------------------------------------------- fixtures


def _peer(
    tmp_path_factory: pytest.TempPathFactory,
    prepare: Callable[[Path, Path, int], Path],
    spec: Path,
    project: Path,
    package: str,
    *prism_args: str,
) -> Iterator[Peer]:
    require_tools()
    folder = tmp_path_factory.mktemp(package)
    port = free_port()
    document = prepare(spec, folder, port)
    with run_prism(document, port, *prism_args) as prism:
        yield Peer(prism, import_generated(project, package))


@pytest.fixture(scope="module")
def authoring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    """The authoring client and Prism serving the authoring spec (converted to OpenAPI 3)."""
    yield from _peer(
        tmp_path_factory,
        prepare_swagger2,
        AUTHORING_SPEC,
        AUTHORING,
        "azure_openai_authoring",
        "--dynamic",
        "--seed",
        "1",
    )


@pytest.fixture(scope="module")
def inference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    """The inference client and Prism serving the inference spec with its own examples."""
    yield from _peer(
        tmp_path_factory, prepare_openapi3, INFERENCE_SPEC, INFERENCE, "azure_openai_inference"
    )


@pytest.fixture(scope="module")
def authoring_as_published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    """Prism serving the authoring spec without its CORRECTIONS."""
    yield from _peer(
        tmp_path_factory,
        functools.partial(prepare_swagger2, corrected=False),
        AUTHORING_SPEC,
        AUTHORING,
        "azure_openai_authoring",
        "--dynamic",
        "--seed",
        "1",
    )


@pytest.fixture(scope="module")
def inference_as_published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    """Prism serving the inference spec without its CORRECTIONS."""
    yield from _peer(
        tmp_path_factory,
        functools.partial(prepare_openapi3, corrected=False),
        INFERENCE_SPEC,
        INFERENCE,
        "azure_openai_inference",
    )


@pytest.fixture(scope="module")
def ac(authoring: Peer) -> Iterator[Any]:
    with authoring.client() as client:
        yield client


@pytest.fixture(scope="module")
def ic(inference: Peer) -> Iterator[Any]:
    with inference.client() as client:
        yield client


# --------------------------------------------------------------------------- coverage

COVERED = {
    "azure_openai_authoring": {
        "files": {
            "list",
            "upload",
            "get",
            "delete",
            "get_content",
            "get_content_streamed",
            "import_",
        },
        "fine_tunes": {"list", "create", "get", "delete", "get_events", "cancel"},
        "models": {"list", "get"},
    },
    "azure_openai_inference": {
        "completions": {"create"},
        "embeddings": {"create"},
        "chat_completions": {"create"},
        "transcriptions": {"create"},
        "translations": {"create"},
        "image_generations": {"create"},
    },
}


@pytest.mark.parametrize("which", ["authoring", "inference"])
def test_every_operation_is_covered(which: str, request: pytest.FixtureRequest) -> None:
    peer: Peer = request.getfixturevalue(which)
    with peer.client() as client:
        # Groups are cached properties of the client class (imported on first use).
        operation_groups = {
            name: getattr(client, name)
            for name, attr in vars(type(client)).items()
            if isinstance(attr, functools.cached_property) and name != "with_raw_response"
        }
        groups = {
            name: {
                op
                for op in dir(type(group))
                if not op.startswith("_") and op != "with_raw_response"
            }
            for name, group in operation_groups.items()
        }
    assert groups == COVERED[peer.package.__name__]


# --------------------------------------------------------------------------- authoring


def test_files_list(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    raw = authoring.call(ac.files.with_raw_response.list)
    files = parsed(raw, m.FileList)
    assert files.data and all(isinstance(f, m.File) for f in files.data)
    assert_round_trip(raw, files)


def test_files_upload(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    raw = authoring.call(
        ac.files.with_raw_response.upload,
        purpose=m.Purpose.FINE_TUNE,
        file=("puppy.jsonl", TRAINING_JSONL, "application/jsonl"),
    )
    assert raw.status_code == 201
    assert_model(raw, m.File)


def test_files_upload_from_a_path(authoring: Peer, ac: Any, tmp_path: Path) -> None:
    path = tmp_path / "puppy.jsonl"
    path.write_bytes(TRAINING_JSONL)
    raw = authoring.call(ac.files.with_raw_response.upload, purpose="fine-tune", file=path)
    assert_model(raw, authoring.package.models.File)


def test_files_get(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.files.with_raw_response.get, FILE_ID)
    assert_model(raw, authoring.package.models.File)


def test_files_delete(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.files.with_raw_response.delete, FILE_ID)
    assert raw.status_code == 204
    assert raw.parse() is None


def test_files_get_content(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.files.with_raw_response.get_content, FILE_ID)
    content = raw.parse()
    assert isinstance(content, bytes) and content
    assert content == raw.http_response.content
    assert raw.headers["content-type"].startswith("application/octet-stream")


def test_files_get_content_streamed(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.files.with_raw_response.get_content_streamed, FILE_ID)
    with raw.parse() as body:
        assert isinstance(body, authoring.package._runtime.BinaryResponse)
        content = b"".join(body.iter_bytes())
    assert isinstance(content, bytes) and content


def test_files_import(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    file_import = m.FileImport(
        purpose=m.Purpose.FINE_TUNE,
        filename="puppy.jsonl",
        content_url="https://www.contoso.com/trainingdata/puppy.jsonl",
    )
    raw = authoring.call(ac.files.with_raw_response.import_, file_import=file_import)
    assert raw.status_code == 201
    assert_model(raw, m.File)


def test_fine_tunes_list(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    raw = authoring.call(ac.fine_tunes.with_raw_response.list)
    fine_tunes = parsed(raw, m.FineTuneList)
    assert fine_tunes.data and all(isinstance(f, m.FineTune) for f in fine_tunes.data)
    assert_round_trip(raw, fine_tunes)


def test_fine_tunes_create(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    fine_tune = m.FineTuneCreation(
        model="curie",
        training_file=FILE_ID,
        validation_file=FILE_ID,
        suffix="puppy",
        n_epochs=2,
        batch_size=32,
        learning_rate_multiplier=0.1,
        prompt_loss_weight=0.1,
        compute_classification_metrics=True,
        classification_n_classes=4,
    )
    raw = authoring.call(ac.fine_tunes.with_raw_response.create, fine_tune=fine_tune)
    assert raw.status_code == 201
    assert_model(raw, m.FineTune)


def test_fine_tunes_create_from_a_mapping(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(
        ac.fine_tunes.with_raw_response.create,
        fine_tune={"model": "curie", "training_file": FILE_ID},
    )
    assert_model(raw, authoring.package.models.FineTune)


def test_fine_tunes_get(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.fine_tunes.with_raw_response.get, FT_ID)
    assert_model(raw, authoring.package.models.FineTune)


def test_fine_tunes_delete(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.fine_tunes.with_raw_response.delete, FT_ID)
    assert raw.status_code == 204
    assert raw.parse() is None


def test_fine_tunes_get_events(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    raw = authoring.call(ac.fine_tunes.with_raw_response.get_events, FT_ID)
    events = parsed(raw, m.EventList)
    assert events.data and all(isinstance(e, m.Event) for e in events.data)
    assert_round_trip(raw, events)


def test_fine_tunes_cancel(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.fine_tunes.with_raw_response.cancel, FT_ID)
    assert_model(raw, authoring.package.models.FineTune)


def test_models_list(authoring: Peer, ac: Any) -> None:
    m = authoring.package.models
    raw = authoring.call(ac.models.with_raw_response.list)
    models = parsed(raw, m.ModelList)
    assert models.data and all(isinstance(x, m.Model) for x in models.data)
    assert_round_trip(raw, models)


def test_models_get(authoring: Peer, ac: Any) -> None:
    raw = authoring.call(ac.models.with_raw_response.get, "curie")
    assert_model(raw, authoring.package.models.Model)


def test_authoring_async(authoring: Peer) -> None:
    m = authoring.package.models

    async def main() -> None:
        async with authoring.async_client() as client:
            raw = await authoring.acall(client.files.with_raw_response.list)
            assert parsed(raw, m.FileList).data
            raw = await authoring.acall(client.fine_tunes.with_raw_response.get, FT_ID)
            parsed(raw, m.FineTune)
            raw = await authoring.acall(client.files.with_raw_response.get_content, FILE_ID)
            assert isinstance(raw.parse(), bytes) and raw.parse()
            raw = await authoring.acall(client.fine_tunes.with_raw_response.delete, FT_ID)
            assert raw.status_code == 204

    asyncio.run(main())


def test_authoring_async_upload(authoring: Peer) -> None:
    async def main() -> None:
        async with authoring.async_client() as client:
            raw = await authoring.acall(
                client.files.with_raw_response.upload,
                purpose="fine-tune",
                file=("puppy.jsonl", io.BytesIO(TRAINING_JSONL)),
            )
            parsed(raw, authoring.package.models.File)

    asyncio.run(main())


# --------------------------------------------------------------------------- inference


def test_completions_create(inference: Peer, ic: Any) -> None:
    raw = inference.call(
        ic.completions.with_raw_response.create,
        "davinci",
        body={
            "prompt": "Negate the following sentence. The price for bubblegum increased.",
            "max_tokens": 50,
            "temperature": 0,
            "n": 1,
            "stop": ["\n"],
            "user": "specgen",
        },
    )
    result = assert_model(raw, inference.package.models.CompletionsCreateResponse)
    assert result.choices and result.choices[0].text


def test_embeddings_create(inference: Peer, ic: Any) -> None:
    m = inference.package.models
    raw = inference.call(
        ic.embeddings.with_raw_response.create,
        m.EmbeddingsCreateDeploymentId.EMBEDDING,
        body=m.EmbeddingsCreateRequest(input=["I love Azure", "API Management"], user="specgen"),
    )
    result = assert_model(raw, m.EmbeddingsCreateResponse)
    assert result.data and isinstance(result.data[0].embedding, list)


def test_chat_completions_create(inference: Peer, ic: Any) -> None:
    m = inference.package.models
    body = m.CreateChatCompletionRequest(
        messages=[
            m.ChatCompletionRequestMessageSystem(content="You are a helpful assistant."),
            m.ChatCompletionRequestMessageUser(content="How far away is the moon?"),
        ],
        temperature=0.2,
        max_tokens=64,
        n=1,
        user="specgen",
    )
    raw = inference.call(ic.chat_completions.with_raw_response.create, "gpt-35-turbo", body=body)
    result = assert_model(raw, m.CreateChatCompletionResponse)
    assert result.choices and result.choices[0].message is not None


def test_image_generations_create_with_the_spec_example(inference: Peer, ic: Any) -> None:
    m = inference.package.models
    body = m.ImageGenerationsRequest(prompt="a corgi in a field")
    raw = inference.call(ic.image_generations.with_raw_response.create, "dall-e-3", body=body)
    result = assert_model(raw, m.GenerateImagesResponse)
    # The example's value, an integer once corrected (a unixtime, decoded to a datetime).
    assert result.created == datetime.fromtimestamp(1676540381, UTC)
    assert result.data and result.data[0].url == "https://www.contoso.com"


def test_image_generations_create(inference: Peer, ic: Any) -> None:
    m = inference.package.models
    body = m.ImageGenerationsRequest(
        prompt="a corgi in a field",
        n=1,
        size=m.Size.SIZE_1024_X_1024,
        response_format=m.ImagesResponseFormat.URL,
        user="specgen",
        quality=m.Quality.STANDARD,
        style=m.Style.VIVID,
    )
    raw = inference.call(
        ic.image_generations.with_raw_response.create, "dall-e-3", body=body, extra_headers=DYNAMIC
    )
    result = assert_model(raw, m.GenerateImagesResponse)
    assert result.data is not None


@pytest.mark.parametrize("group", ["transcriptions", "translations"])
def test_audio_create_json(inference: Peer, ic: Any, group: str) -> None:
    m = inference.package.models
    raw = inference.call(
        getattr(ic, group).with_raw_response.create,
        "whisper",
        file=("speech.wav", WAV, "audio/wav"),
        response_format="json",
        extra_headers=DYNAMIC,
    )
    assert isinstance(raw.parse(), m.AudioResponse)
    assert_model(raw, m.AudioResponse)


@pytest.mark.parametrize("group", ["transcriptions", "translations"])
def test_audio_create_text_with_the_spec_example(inference: Peer, ic: Any, group: str) -> None:
    raw = inference.call(
        getattr(ic, group).with_raw_response.create,
        "whisper",
        file=("speech.wav", WAV, "audio/wav"),
        response_format="text",
        extra_headers={"Accept": "text/plain"},
    )
    text = raw.parse()
    assert text == "string"  # the example the correction gives (the JSON answer's text)
    assert text == raw.http_response.text


@pytest.mark.parametrize("group", ["transcriptions", "translations"])
def test_audio_create_text(inference: Peer, ic: Any, group: str) -> None:
    # A generated body, beside the spec's (corrected) example above.
    kwargs: dict[str, Any] = {"language": "en"} if group == "transcriptions" else {}
    raw = inference.call(
        getattr(ic, group).with_raw_response.create,
        "whisper",
        file=("speech.wav", WAV, "audio/wav"),
        prompt="A talk about the moon.",
        response_format="text",
        temperature=0,
        extra_headers={"Accept": "text/plain", **DYNAMIC},
        **kwargs,
    )
    text = raw.parse()
    assert isinstance(text, str) and text == raw.http_response.text


def test_inference_async_chat_and_embeddings(inference: Peer) -> None:
    m = inference.package.models

    async def main() -> None:
        async with inference.async_client() as client:
            raw = await inference.acall(
                client.chat_completions.with_raw_response.create,
                "gpt-35-turbo",
                body={"messages": [{"role": "user", "content": "Hello!"}]},
            )
            assert_model(raw, m.CreateChatCompletionResponse)
            raw = await inference.acall(
                client.embeddings.with_raw_response.create, "embedding", body={"input": "Hello"}
            )
            assert_model(raw, m.EmbeddingsCreateResponse)

    asyncio.run(main())


# --------------------------------------------------------------------------- streaming


def test_streamed_requests_pass_validation_though_prism_cannot_stream(
    authoring: Peer, ac: Any, inference: Peer, ic: Any
) -> None:
    """Prism serves no text/event-stream: a valid streamed request is answered 406 (inference:
    no event-stream content) or 500 NO_COMPLEX_OBJECT_TEXT (authoring: it cannot write the
    EventList schema as text); an invalid one would get 400/422 with sl-violations instead."""
    body = {"messages": [{"role": "user", "content": "Hello!"}]}
    with pytest.raises(inference.package.ApiError) as chat:
        ic.chat_completions.create("gpt-35-turbo", body=body, stream=True)
    with pytest.raises(inference.package.ApiError) as completion:
        ic.completions.create("davinci", body={"prompt": "Hello"}, stream=True)
    for error in (chat.value, completion.value):
        assert error.status_code == 406, _describe(error.response)
        assert "sl-violations" not in error.response.headers
        assert json.loads(error.response.request.content)["stream"] is True

    with pytest.raises(authoring.package.ApiError) as events:
        ac.fine_tunes.get_events(FT_ID, stream=True)
    assert events.value.status_code == 500, _describe(events.value.response)
    assert events.value.body["type"].endswith("#NO_COMPLEX_OBJECT_TEXT")
    assert "sl-violations" not in events.value.response.headers
    assert events.value.response.request.url.params["stream"] == "true"


# --------------------------------------------------------------------------- controls


def test_prism_rejects_an_invalid_request(inference: Peer, ic: Any) -> None:
    """Control: the checks above would catch a request the spec forbids."""
    with pytest.raises(inference.package.UnprocessableEntityError) as caught:
        ic.transcriptions.create(
            "whisper",
            file=("speech.wav", WAV),
            response_format="mp3",
        )
    assert caught.value.status_code == 422
    with pytest.raises(AssertionError, match="rejected the request"):
        _check_response(caught.value.response)

    # Where the spec declares an error answer, Prism sends that, with an sl-violations header.
    body = {"messages": [{"role": "user", "content": "Hello!"}]}
    with pytest.raises(inference.package.BadRequestError) as bad:
        ic.chat_completions.create("gpt-4", body=body)  # the spec's enum allows gpt-35-turbo
    with pytest.raises(AssertionError, match="rejected the request"):
        _check_response(bad.value.response)


def test_prism_checks_the_api_key(authoring: Peer) -> None:
    """Control: Prism enforces the spec's api-key security, so the client's key was sent."""
    with (
        authoring.package.Client(
            endpoint=authoring.prism.endpoint, token_provider=lambda: "t", max_retries=0
        ) as client,
        pytest.raises(authoring.package.ApiError) as caught,
    ):
        client.models.get("curie")  # a bearer token, no api-key header
    assert caught.value.status_code == 401


def test_prism_validates_multipart_fields(authoring: Peer, ac: Any) -> None:
    """Control: served as OpenAPI 3, the authoring spec's multipart fields are validated (Prism
    does not check Swagger 2.0 formData parameters, hence the conversion)."""
    with pytest.raises(authoring.package.ApiError) as caught:
        ac.files.upload(purpose="fine-tuning", file=("puppy.jsonl", TRAINING_JSONL))
    with pytest.raises(AssertionError, match="rejected the request") as rejected:
        _check_response(caught.value.response)
    assert "request.body.purpose" in str(rejected.value)


# --------------------------------------------------------------------------- the bugs corrected


# The test below that shows the bug each correction of tests/prism.py mends.
SHOWN_BY = {
    "_location_as_uri": "test_as_published_prism_rejects_its_own_201_answers",
    "_image_created_as_integer": "test_as_published_the_image_example_has_a_string_created",
    "_audio_json_as_any_of": "test_as_published_no_audio_answer_satisfies_the_one_of",
    "_audio_text_example": "test_as_published_the_audio_text_example_is_null",
}


def test_every_correction_is_shown_below() -> None:
    """A correction is there for a bug Prism shows on the spec as published: a new one comes
    with its test."""
    assert {c.apply.__name__ for c in CORRECTIONS} == set(SHOWN_BY)
    assert all(callable(globals().get(test)) for test in SHOWN_BY.values())


def test_as_published_prism_rejects_its_own_201_answers(authoring_as_published: Peer) -> None:
    """Prism writes a random string for the Location header of format `url`, then rejects it."""
    peer = authoring_as_published
    with peer.client() as client:
        with pytest.raises(known_violation("response.header.location", "format")):
            peer.call(
                client.files.with_raw_response.upload,
                purpose="fine-tune",
                file=("puppy.jsonl", TRAINING_JSONL),
            )
        with pytest.raises(known_violation("response.header.location", "format")):
            peer.call(
                client.fine_tunes.with_raw_response.create,
                fine_tune={"model": "curie", "training_file": FILE_ID},
            )


def test_as_published_the_image_example_has_a_string_created(
    inference_as_published: Peer,
) -> None:
    """The spec's example answer has created: '1676540381', a string."""
    peer = inference_as_published
    with peer.client() as client, pytest.raises(known_violation("response.body.created", "type")):
        peer.call(
            client.image_generations.with_raw_response.create,
            "dall-e-3",
            body={"prompt": "a corgi in a field"},
        )


def test_as_published_no_audio_answer_satisfies_the_one_of(inference_as_published: Peer) -> None:
    """Every audio answer matches both members of the oneOf."""
    peer = inference_as_published
    with peer.client() as client:
        for group in ("transcriptions", "translations"):
            with pytest.raises(known_violation("response.body", "oneOf")):
                peer.call(
                    getattr(client, group).with_raw_response.create,
                    "whisper",
                    file=("speech.wav", WAV, "audio/wav"),
                    response_format="json",
                    extra_headers=DYNAMIC,
                )


def test_as_published_the_audio_text_example_is_null(inference_as_published: Peer) -> None:
    """The spec's text/plain example is null."""
    peer = inference_as_published
    with peer.client() as client:
        for group in ("transcriptions", "translations"):
            with pytest.raises(known_violation("response.body", "type")):
                peer.call(
                    getattr(client, group).with_raw_response.create,
                    "whisper",
                    file=("speech.wav", WAV, "audio/wav"),
                    response_format="text",
                    extra_headers={"Accept": "text/plain"},
                )
