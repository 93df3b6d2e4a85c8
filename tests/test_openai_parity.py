"""Parity of the generated inference client with the official `openai` SDK.

Each test sends one logical request through the generated `Client` and through
`openai.AzureOpenAI` to the same recording server (`tests/server.py`), checks that
both put the same request on the wire (method, path, `api-version`, `api-key`, JSON
body or multipart parts), answers both with the same Azure-shaped reply, and checks
that both decode the same values.

Known, legitimate differences, made explicit rather than hidden:

* The SDK always sends `model` (the OpenAI API needs it; Azure routes by the
  deployment in the path and ignores it). The generated client has no `model`
  member in the 2024-02-01 spec, so it is sent through `extra_body` on our side.
* `created` is `format: unixtime` for chat completions and images in the spec: our
  client decodes a `datetime`, the SDK an `int`.
* The spec has no schema for stream chunks: our chunks decode as the non-streamed
  response model, whose choices carry a typed `delta`.
* Azure extras (`prompt_filter_results`, `content_filter_results`) are untyped
  pydantic extras in the SDK and typed models in ours: compared via `to_dict()`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from tests.helpers import ROOT, import_generated
from tests.server import Recorded, Reply, Server

openai = pytest.importorskip("openai")

PROJECT = ROOT / "generated" / "azure-openai-inference"
API_KEY = "test-key"
API_VERSION = "2024-02-01"

# --------------------------------------------------------------------------- Azure replies


def severity(level: str = "safe", filtered: bool = False) -> dict[str, Any]:
    return {"filtered": filtered, "severity": level}


def detected(flag: bool = False) -> dict[str, Any]:
    return {"filtered": False, "detected": flag}


PROMPT_FILTER = {
    "hate": severity(),
    "jailbreak": detected(),
    "self_harm": severity(),
    "sexual": severity(),
    "violence": severity(),
}
PROMPT_FILTER_RESULTS = [{"prompt_index": 0, "content_filter_results": PROMPT_FILTER}]
CHOICE_FILTER = {
    "hate": severity(),
    "protected_material_code": detected(),
    "protected_material_text": detected(),
    "self_harm": severity(),
    "sexual": severity(),
    "violence": severity("low"),
}
CHAT_ID = "chatcmpl-8tRfHkKfa5eh5fBNW6Q3nh0n5A0sW"
CHAT_REPLY = {
    "id": CHAT_ID,
    "object": "chat.completion",
    "created": 1708081695,
    "model": "gpt-35-turbo",
    "system_fingerprint": "fp_68a7d165bf",
    "prompt_filter_results": PROMPT_FILTER_RESULTS,
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {
                "role": "assistant",
                "content": "The Moon is about 384,400 km (238,855 miles) from the Earth.",
            },
            "content_filter_results": CHOICE_FILTER,
        }
    ],
    "usage": {"prompt_tokens": 28, "completion_tokens": 19, "total_tokens": 47},
}
COMPLETION_ID = "cmpl-8tRgWe6QtxJZrEbeTuRIdpA2dcwSw"
COMPLETION_REPLY = {
    "id": COMPLETION_ID,
    "object": "text_completion",
    "created": 1708081772,
    "model": "gpt-35-turbo-instruct",
    "prompt_filter_results": PROMPT_FILTER_RESULTS,
    "choices": [
        {
            "text": " The price for bubblegum decreased on thursday.",
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "content_filter_results": CHOICE_FILTER,
        }
    ],
    "usage": {"completion_tokens": 9, "prompt_tokens": 17, "total_tokens": 26},
}
VECTORS = [
    [0.0023064255, -0.009327292, 0.015797347, -0.0077780345, -0.0047248947, 0.014739038],
    [-0.018150061, 0.0044698184, -0.0012513752, 0.0094251353, -0.0263846, 0.0059871957],
]
EMBEDDINGS_REPLY = {
    "object": "list",
    "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(VECTORS)],
    "model": "ada",
    "usage": {"prompt_tokens": 12, "total_tokens": 12},
}
IMAGE_URL = (
    "https://dalleproduse.blob.core.windows.net/private/images/5b2c7d9e/generated_00.png"
    "?se=2024-02-17T11%3A06%3A52Z&sig=4Nd%2Bq0GJ%3D&ske=2024-02-23&sp=r&sv=2021-08-06"
)
IMAGE_REPLY = {
    "created": 1708081612,
    "data": [
        {
            "url": IMAGE_URL,
            "revised_prompt": "A photograph of a corgi running through a sunlit meadow.",
            "content_filter_results": {
                "hate": severity(),
                "self_harm": severity(),
                "sexual": severity(),
                "violence": severity(),
            },
            "prompt_filter_results": {
                "hate": severity(),
                "profanity": detected(),
                "self_harm": severity(),
                "sexual": severity(),
                "violence": severity(),
            },
        }
    ],
}
WAV = (
    b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80>\x00\x00\x00}\x00\x00"
    b"\x02\x00\x10\x00data\x00\x00\x00\x00"
)
TRANSCRIPT = "Hello, this is a test of the Azure OpenAI whisper deployment."


def sse(*events: dict[str, Any]) -> Reply:
    """An Azure data-only event stream, terminated by `data: [DONE]`."""
    body = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    return Reply(200, body + b"data: [DONE]\n\n", content_type="text/event-stream")


# Azure's first event carries only the prompt's filter results, with empty envelope fields.
FILTER_ONLY_CHUNK = {
    "choices": [],
    "created": 0,
    "id": "",
    "model": "",
    "object": "",
    "prompt_filter_results": PROMPT_FILTER_RESULTS,
}


def chat_chunk(delta: dict[str, Any], finish: str | None = None, **choice: Any) -> dict[str, Any]:
    return {
        "id": CHAT_ID,
        "object": "chat.completion.chunk",
        "created": 1708081695,
        "model": "gpt-35-turbo",
        "system_fingerprint": "fp_68a7d165bf",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, **choice}],
    }


CHAT_STREAM = sse(
    FILTER_ONLY_CHUNK,
    chat_chunk({"role": "assistant", "content": ""}),
    chat_chunk({"content": "About"}, content_filter_results=CHOICE_FILTER),
    chat_chunk({"content": " 384,400 km."}, content_filter_results=CHOICE_FILTER),
    chat_chunk({}, "stop", content_filter_results={}),
)


def completion_chunk(text: str, finish: str | None = None) -> dict[str, Any]:
    return {
        "id": COMPLETION_ID,
        "object": "text_completion",
        "created": 1708081772,
        "model": "gpt-35-turbo-instruct",
        "choices": [
            {
                "text": text,
                "index": 0,
                "logprobs": None,
                "finish_reason": finish,
                "content_filter_results": CHOICE_FILTER if text else {},
            }
        ],
    }


COMPLETION_STREAM = sse(
    FILTER_ONLY_CHUNK,
    completion_chunk(" The price"),
    completion_chunk(" decreased."),
    completion_chunk("", "stop"),
)

# --------------------------------------------------------------------------- clients


@pytest.fixture(scope="module")
def aoai() -> ModuleType:
    return import_generated(PROJECT, "azure_openai_inference")


@pytest.fixture
def ours(aoai: ModuleType, server: Server) -> Iterator[Any]:
    with aoai.Client(endpoint=server.url, api_key=API_KEY, max_retries=0) as client:
        yield client


@pytest.fixture
def sdk(server: Server) -> Iterator[Any]:
    with openai.AzureOpenAI(
        azure_endpoint=server.url, api_key=API_KEY, api_version=API_VERSION, max_retries=0
    ) as client:
        yield client


@dataclass
class Pair:
    """One call through each client: what each sent and what each decoded."""

    ours: Recorded
    sdk: Recorded
    ours_result: Any
    sdk_result: Any


def run_both(
    server: Server,
    path: str,
    reply: Reply,
    call_ours: Callable[[], Any],
    call_sdk: Callable[[], Any],
) -> Pair:
    """Answer `path` with `reply`, call each client once, check the shared envelope."""
    server.on("POST", path, reply)
    ours_result = call_ours()
    sdk_result = call_sdk()
    assert len(server.requests) == 2, [r.raw_path for r in server.requests]
    pair = Pair(server.requests[0], server.requests[1], ours_result, sdk_result)
    for request in (pair.ours, pair.sdk):
        assert (request.method, request.path) == ("POST", path)
        assert request.query == {"api-version": [API_VERSION]}
        assert request.headers["api-key"] == API_KEY
    return pair


def assert_same_json(pair: Pair, expected: dict[str, Any]) -> None:
    for request in (pair.ours, pair.sdk):
        assert (request.content_type or "").split(";")[0] == "application/json"
    assert pair.ours.json() == pair.sdk.json() == expected


def parts(request: Recorded) -> set[tuple[str | None, str | None, str | None, bytes]]:
    assert (request.content_type or "").startswith("multipart/form-data; boundary=")
    return {(p.name, p.filename, p.content_type, p.data) for p in request.multipart()}


def unix(value: dt.datetime) -> int:
    assert value.tzinfo is not None
    return int(value.timestamp())


def deployment(name: str, operation: str) -> str:
    return f"/openai/deployments/{name}/{operation}"


# --------------------------------------------------------------------------- chat completions

CHAT_MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "How far away is the moon?"},
]


def test_chat_completions(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    body = m.CreateChatCompletionRequest(
        messages=[
            m.ChatCompletionRequestMessageSystem(content="You are a helpful assistant."),
            m.ChatCompletionRequestMessageUser(content="How far away is the moon?"),
        ],
        temperature=0.7,
        max_tokens=800,
        seed=42,
        stop=["\n\n"],
    )

    pair = run_both(
        server,
        deployment("gpt-35-turbo", "chat/completions"),
        Reply(200, CHAT_REPLY),
        lambda: ours.chat_completions.create(
            "gpt-35-turbo", body=body, extra_body={"model": "gpt-35-turbo"}
        ),
        lambda: sdk.chat.completions.create(
            model="gpt-35-turbo",
            messages=CHAT_MESSAGES,
            temperature=0.7,
            max_tokens=800,
            seed=42,
            stop=["\n\n"],
        ),
    )

    assert_same_json(
        pair,
        {
            "model": "gpt-35-turbo",
            "messages": CHAT_MESSAGES,
            "temperature": 0.7,
            "max_tokens": 800,
            "seed": 42,
            "stop": ["\n\n"],
        },
    )
    a, b = pair.ours_result, pair.sdk_result
    assert isinstance(a, m.CreateChatCompletionResponse)
    assert (a.id, a.model, a.object, a.system_fingerprint) == (
        b.id,
        b.model,
        b.object,
        b.system_fingerprint,
    )
    assert unix(a.created) == b.created == 1708081695
    assert len(a.choices) == len(b.choices) == 1
    for x, y in zip(a.choices, b.choices, strict=True):
        assert (x.index, x.finish_reason) == (y.index, y.finish_reason)
        assert (x.message.role, x.message.content) == (y.message.role, y.message.content)
        assert isinstance(x.content_filter_results, m.ContentFilterChoiceResults)
        assert x.content_filter_results.to_dict() == y.content_filter_results == CHOICE_FILTER
    assert (a.usage.prompt_tokens, a.usage.completion_tokens, a.usage.total_tokens) == (
        b.usage.prompt_tokens,
        b.usage.completion_tokens,
        b.usage.total_tokens,
    )
    # Azure's prompt annotations: an untyped extra in the SDK, typed models in ours.
    (prompt,) = a.prompt_filter_results
    assert isinstance(prompt, m.PromptFilterResult)
    assert isinstance(prompt.content_filter_results, m.ContentFilterPromptResults)
    assert prompt.content_filter_results.jailbreak == m.ContentFilterDetectedResult(
        filtered=False, detected=False
    )
    assert [p.to_dict() for p in a.prompt_filter_results] == b.prompt_filter_results


def test_chat_completions_stream(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    body = m.CreateChatCompletionRequest(
        messages=[m.ChatCompletionRequestMessageUser(content="How far away is the moon?")],
        max_tokens=100,
    )

    pair = run_both(
        server,
        deployment("gpt-35-turbo", "chat/completions"),
        CHAT_STREAM,
        lambda: list(
            ours.chat_completions.create(
                "gpt-35-turbo", body=body, stream=True, extra_body={"model": "gpt-35-turbo"}
            )
        ),
        lambda: list(
            sdk.chat.completions.create(
                model="gpt-35-turbo", messages=[CHAT_MESSAGES[1]], max_tokens=100, stream=True
            )
        ),
    )

    assert_same_json(
        pair,
        {
            "model": "gpt-35-turbo",
            "messages": [CHAT_MESSAGES[1]],
            "max_tokens": 100,
            "stream": True,
        },
    )
    a, b = pair.ours_result, pair.sdk_result
    assert len(a) == len(b) == 5
    assert [c.id for c in a] == [c.id for c in b] == [""] + [CHAT_ID] * 4
    assert [c.model for c in a] == [c.model for c in b]
    assert [c.object for c in a] == [c.object for c in b]
    assert [len(c.choices) for c in a] == [len(c.choices) for c in b] == [0, 1, 1, 1, 1]
    # The spec describes streamed chunks' choices with a typed `delta`.
    ours_deltas = [c.choices[0].delta for c in a[1:]]
    sdk_deltas = [c.choices[0].delta for c in b[1:]]
    # An absent content is NOT_GIVEN in ours (the member is nullable) and None in the SDK.
    assert [d.content or None for d in ours_deltas] == [d.content or None for d in sdk_deltas]
    assert [d.role or None for d in ours_deltas] == [d.role for d in sdk_deltas]
    assert "".join(d.content or "" for d in sdk_deltas) == "About 384,400 km."
    assert [c.choices[0].finish_reason for c in a[1:]] == [
        c.choices[0].finish_reason for c in b[1:]
    ]
    assert a[-1].choices[0].finish_reason == "stop"
    # The first, filter-only chunk.
    (prompt,) = a[0].prompt_filter_results
    assert isinstance(prompt.content_filter_results, m.ContentFilterPromptResults)
    assert [p.to_dict() for p in a[0].prompt_filter_results] == b[0].prompt_filter_results
    filters = a[2].choices[0].content_filter_results
    assert isinstance(filters, m.ContentFilterChoiceResults)
    assert filters.to_dict() == b[2].choices[0].content_filter_results == CHOICE_FILTER


# --------------------------------------------------------------------------- completions

PROMPT = "Negate the following sentence. The price for bubblegum increased on thursday."


def test_completions(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    body = m.CompletionsCreateRequest(prompt=PROMPT, max_tokens=50, stop=["\n"], temperature=0)

    pair = run_both(
        server,
        deployment("gpt-35-turbo-instruct", "completions"),
        Reply(200, COMPLETION_REPLY),
        lambda: ours.completions.create(
            "gpt-35-turbo-instruct", body=body, extra_body={"model": "gpt-35-turbo-instruct"}
        ),
        lambda: sdk.completions.create(
            model="gpt-35-turbo-instruct", prompt=PROMPT, max_tokens=50, stop=["\n"], temperature=0
        ),
    )

    assert_same_json(
        pair,
        {
            "model": "gpt-35-turbo-instruct",
            "prompt": PROMPT,
            "max_tokens": 50,
            "stop": ["\n"],
            "temperature": 0,
        },
    )
    a, b = pair.ours_result, pair.sdk_result
    assert isinstance(a, m.CompletionsCreateResponse)
    assert (a.id, a.object, a.created, a.model) == (b.id, b.object, b.created, b.model)
    for x, y in zip(a.choices, b.choices, strict=True):
        assert (x.text, x.index, x.finish_reason, x.logprobs) == (
            y.text,
            y.index,
            y.finish_reason,
            y.logprobs,
        )
        assert x.content_filter_results.to_dict() == y.content_filter_results
    assert (a.usage.prompt_tokens, a.usage.completion_tokens, a.usage.total_tokens) == (
        b.usage.prompt_tokens,
        b.usage.completion_tokens,
        b.usage.total_tokens,
    )
    assert isinstance(
        a.prompt_filter_results[0].content_filter_results, m.ContentFilterPromptResults
    )
    assert [p.to_dict() for p in a.prompt_filter_results] == b.prompt_filter_results


def test_completions_stream(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models

    pair = run_both(
        server,
        deployment("gpt-35-turbo-instruct", "completions"),
        COMPLETION_STREAM,
        lambda: list(
            ours.completions.create(
                "gpt-35-turbo-instruct",
                body=m.CompletionsCreateRequest(prompt=PROMPT, max_tokens=50),
                stream=True,
                extra_body={"model": "gpt-35-turbo-instruct"},
            )
        ),
        lambda: list(
            sdk.completions.create(
                model="gpt-35-turbo-instruct", prompt=PROMPT, max_tokens=50, stream=True
            )
        ),
    )

    assert_same_json(
        pair,
        {"model": "gpt-35-turbo-instruct", "prompt": PROMPT, "max_tokens": 50, "stream": True},
    )
    a, b = pair.ours_result, pair.sdk_result
    assert [c.id for c in a] == [c.id for c in b] == ["", *[COMPLETION_ID] * 3]
    assert [c.created for c in a] == [c.created for c in b]
    assert [[x.text for x in c.choices] for c in a] == [[y.text for y in c.choices] for c in b]
    assert [[x.finish_reason for x in c.choices] for c in a] == [
        [y.finish_reason for y in c.choices] for c in b
    ]
    assert "".join(c.choices[0].text for c in a[1:]) == " The price decreased."
    assert [p.to_dict() for p in a[0].prompt_filter_results] == b[0].prompt_filter_results
    assert isinstance(a[0].prompt_filter_results[0], m.PromptFilterResult)


# --------------------------------------------------------------------------- embeddings

EMBED_INPUT = ["I love Azure API Management", "Embeddings are vectors"]


def test_embeddings(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    # The SDK asks for base64 unless told otherwise; the spec has no `encoding_format`.
    pair = run_both(
        server,
        deployment("text-embedding-ada-002", "embeddings"),
        Reply(200, EMBEDDINGS_REPLY),
        lambda: ours.embeddings.create(
            "text-embedding-ada-002",
            body=m.EmbeddingsCreateRequest(input=EMBED_INPUT, user="APIM"),
            extra_body={"model": "text-embedding-ada-002", "encoding_format": "float"},
        ),
        lambda: sdk.embeddings.create(
            model="text-embedding-ada-002",
            input=EMBED_INPUT,
            user="APIM",
            encoding_format="float",
        ),
    )

    assert_same_json(
        pair,
        {
            "model": "text-embedding-ada-002",
            "input": EMBED_INPUT,
            "user": "APIM",
            "encoding_format": "float",
        },
    )
    a, b = pair.ours_result, pair.sdk_result
    assert isinstance(a, m.EmbeddingsCreateResponse)
    assert (a.object, a.model) == (b.object, b.model)
    assert [(d.index, d.object) for d in a.data] == [(d.index, d.object) for d in b.data]
    assert [d.embedding for d in a.data] == [d.embedding for d in b.data] == VECTORS
    assert all(isinstance(x, float) for d in a.data for x in d.embedding)
    assert (a.usage.prompt_tokens, a.usage.total_tokens) == (
        b.usage.prompt_tokens,
        b.usage.total_tokens,
    )


# --------------------------------------------------------------------------- images


def test_image_generations(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    body = m.ImageGenerationsRequest(
        prompt="a corgi in a field",
        n=1,
        size=m.Size.SIZE_1024_X_1024,
        quality=m.Quality.STANDARD,
        style=m.Style.VIVID,
        response_format=m.ImagesResponseFormat.URL,
    )

    pair = run_both(
        server,
        deployment("dall-e-3", "images/generations"),
        Reply(200, IMAGE_REPLY),
        lambda: ours.image_generations.create(
            "dall-e-3", body=body, extra_body={"model": "dall-e-3"}
        ),
        lambda: sdk.images.generate(
            model="dall-e-3",
            prompt="a corgi in a field",
            n=1,
            size="1024x1024",
            quality="standard",
            style="vivid",
            response_format="url",
        ),
    )

    assert_same_json(
        pair,
        {
            "model": "dall-e-3",
            "prompt": "a corgi in a field",
            "n": 1,
            "size": "1024x1024",
            "quality": "standard",
            "style": "vivid",
            "response_format": "url",
        },
    )
    a, b = pair.ours_result, pair.sdk_result
    assert isinstance(a, m.GenerateImagesResponse)
    assert unix(a.created) == b.created == 1708081612
    assert [(i.url, i.revised_prompt, i.b64_json) for i in a.data] == [
        (i.url, i.revised_prompt, i.b64_json) for i in b.data
    ]
    assert a.data[0].url == IMAGE_URL
    (x,), (y,) = a.data, b.data
    assert isinstance(x.content_filter_results, m.DalleContentFilterResults)
    assert isinstance(x.prompt_filter_results, m.DalleFilterResults)
    assert x.content_filter_results.to_dict() == y.content_filter_results
    assert x.prompt_filter_results.to_dict() == y.prompt_filter_results


# --------------------------------------------------------------------------- audio

AUDIO_FILE = ("meeting.wav", WAV, "audio/wav")


def test_audio_transcriptions(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    pair = run_both(
        server,
        deployment("whisper", "audio/transcriptions"),
        Reply(200, {"text": TRANSCRIPT}),
        lambda: ours.transcriptions.create(
            "whisper",
            file=AUDIO_FILE,
            prompt="Azure, OpenAI, whisper",
            response_format="json",
            temperature=0.2,
            language="en",
            extra_body={"model": "whisper"},
        ),
        lambda: sdk.audio.transcriptions.create(
            model="whisper",
            file=AUDIO_FILE,
            prompt="Azure, OpenAI, whisper",
            response_format="json",
            temperature=0.2,
            language="en",
        ),
    )

    expected = {
        ("file", "meeting.wav", "audio/wav", WAV),
        ("model", None, None, b"whisper"),
        ("prompt", None, None, b"Azure, OpenAI, whisper"),
        ("response_format", None, None, b"json"),
        ("temperature", None, None, b"0.2"),
        ("language", None, None, b"en"),
    }
    assert parts(pair.ours) == parts(pair.sdk) == expected
    a, b = pair.ours_result, pair.sdk_result
    assert isinstance(a, aoai.models.AudioResponse)
    assert a.text == b.text == TRANSCRIPT


# This SDK version marks `audio.translations.create` deprecated; the endpoint is still served.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_audio_translations(ours: Any, sdk: Any, server: Server, aoai: ModuleType) -> None:
    pair = run_both(
        server,
        deployment("whisper", "audio/translations"),
        Reply(200, {"text": TRANSCRIPT}),
        lambda: ours.translations.create(
            "whisper",
            file=AUDIO_FILE,
            prompt="Azure, OpenAI",
            response_format="json",
            temperature=0,
            extra_body={"model": "whisper"},
        ),
        lambda: sdk.audio.translations.create(
            model="whisper",
            file=AUDIO_FILE,
            prompt="Azure, OpenAI",
            response_format="json",
            temperature=0,
        ),
    )

    expected = {
        ("file", "meeting.wav", "audio/wav", WAV),
        ("model", None, None, b"whisper"),
        ("prompt", None, None, b"Azure, OpenAI"),
        ("response_format", None, None, b"json"),
        ("temperature", None, None, b"0"),
    }
    assert parts(pair.ours) == parts(pair.sdk) == expected
    a, b = pair.ours_result, pair.sdk_result
    assert isinstance(a, aoai.models.AudioResponse)
    assert a.text == b.text == TRANSCRIPT
