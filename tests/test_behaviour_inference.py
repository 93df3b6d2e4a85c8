"""Behaviour of the generated inference client (generated/azure-openai-inference) on the wire.

Every operation of `Client` (completions, chat completions, embeddings, audio
transcription and translation, image generation) is driven against the recording
server of `tests/server.py` with replies shaped like Azure OpenAI's (content filter
annotations included): the tests check what the server receives and what the client
decodes, errors included.

The spec's only server is a fixed gateway URL, so the client is pointed at the test
server with `base_url=<server>/openai`, the path prefix of a real Azure resource.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.helpers import ROOT, import_generated
from tests.server import Recorded, Reply, Server

PROJECT = ROOT / "generated" / "azure-openai-inference"
API_VERSION = "2024-02-01"
API_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
USER_AGENT = "azure-openai-inference/0.1.0 specgen/0.1.0"
REQUEST_ID = "3f0a2c1e-8a4b-4f7e-9d2c-6b1e5a7c9d0f"
UTC = dt.UTC

# --------------------------------------------------------------------------- replies


def severity(level: str = "safe", filtered: bool = False) -> dict[str, Any]:
    return {"filtered": filtered, "severity": level}


def detected(flag: bool = False, filtered: bool = False) -> dict[str, Any]:
    return {"filtered": filtered, "detected": flag}


PROMPT_FILTER = {
    "hate": severity(),
    "jailbreak": detected(),
    "self_harm": severity(),
    "sexual": severity(),
    "violence": severity(),
}
CHOICE_FILTER = {
    "hate": severity(),
    "protected_material_code": detected(),
    "protected_material_text": detected(),
    "self_harm": severity(),
    "sexual": severity(),
    "violence": severity("low"),
}
CHAT_REPLY = {
    "choices": [
        {
            "content_filter_results": CHOICE_FILTER,
            "finish_reason": "stop",
            "index": 0,
            "logprobs": None,
            "message": {
                "content": "The average distance between the Earth and the Moon is about "
                "384,400 kilometers (238,855 miles).",
                "role": "assistant",
            },
        }
    ],
    "created": 1708081695,
    "id": "chatcmpl-8tRfHkKfa5eh5fBNW6Q3nh0n5A0sW",
    "model": "gpt-35-turbo",
    "object": "chat.completion",
    "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": PROMPT_FILTER}],
    "system_fingerprint": "fp_68a7d165bf",
    "usage": {"completion_tokens": 31, "prompt_tokens": 28, "total_tokens": 59},
}
TOOL_CALL_REPLY = {
    **CHAT_REPLY,
    "choices": [
        {
            "content_filter_results": {},
            "finish_reason": "tool_calls",
            "index": 0,
            "message": {
                "content": None,
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "call_Uq9zWJa3kYNfDkE0J3lJ4r3k",
                        "type": "function",
                        "function": {
                            "name": "get_current_weather",
                            "arguments": '{\n  "location": "Stockholm, Sweden"\n}',
                        },
                    }
                ],
            },
        }
    ],
}
COMPLETION_REPLY = {
    "id": "cmpl-8tRgWe6QtxJZrEbeTuRIdpA2dcwSw",
    "object": "text_completion",
    "created": 1708081772,
    "model": "gpt-35-turbo-instruct",
    "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": PROMPT_FILTER}],
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
IMAGE_URL = (
    "https://dalleproduse.blob.core.windows.net/private/images/5b2c7d9e/generated_00.png"
    "?se=2024-02-17T11%3A06%3A52Z&sig=4Nd%2Bq0GJ%3D&ske=2024-02-23&sp=r&sv=2021-08-06"
)
IMAGE_REPLY = {
    "created": 1708081612,
    "data": [
        {
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
            "revised_prompt": "A photograph of a corgi running through a sunlit meadow.",
            "url": IMAGE_URL,
        }
    ],
}
CONTENT_FILTER_ERROR = {  # the spec's errorResponse shape
    "error": {
        "code": "content_filter",
        "message": "The response was filtered due to the prompt triggering Azure OpenAI's "
        "content management policy. Please modify your prompt and retry.",
        "param": "prompt",
        "type": None,
        "inner_error": {
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_results": {
                "hate": severity(),
                "jailbreak": detected(),
                "self_harm": severity(),
                "sexual": severity(),
                "violence": severity("medium", filtered=True),
            },
        },
    }
}
WAV = (
    b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80>\x00\x00\x00}\x00\x00"
    b"\x02\x00\x10\x00data\x00\x00\x00\x00"
)
TRANSCRIPT = "Hello, this is a test of the Azure OpenAI whisper deployment."
VERBOSE_TRANSCRIPTION = {
    "task": "transcribe",
    "language": "english",
    "duration": 3.62,
    "text": TRANSCRIPT,
    "segments": [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 3.62,
            "text": " " + TRANSCRIPT,
            "tokens": [50364, 2425, 11, 341, 307, 257, 1500, 50545],
            "temperature": 0.0,
            "avg_logprob": -0.2351,
            "compression_ratio": 1.0845,
            "no_speech_prob": 0.0121,
        }
    ],
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def aoai() -> ModuleType:
    return import_generated(PROJECT, "azure_openai_inference")


@pytest.fixture
def client(aoai: ModuleType, server: Server) -> Iterator[Any]:
    with aoai.Client(base_url=server.url + "/openai", api_key=API_KEY, max_retries=0) as c:
        yield c


def deployment_path(deployment: str, operation: str) -> str:
    return f"/openai/deployments/{deployment}/{operation}"


def assert_sent(request: Recorded, path: str) -> None:
    """The envelope every operation shares: POST, raw path, query, credentials, agent."""
    assert (request.method, request.path) == ("POST", path)
    assert request.query == {"api-version": [API_VERSION]}
    assert request.headers["api-key"] == API_KEY
    assert request.headers["user-agent"] == USER_AGENT


# --------------------------------------------------------------------------- completions


def test_completions_create(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    path = deployment_path("gpt-35-turbo-instruct", "completions")
    server.on("POST", path, Reply(200, COMPLETION_REPLY, {"apim-request-id": REQUEST_ID}))
    body = m.CompletionsCreateRequest(
        prompt="Negate the following sentence. The price for bubblegum increased on thursday.",
        max_tokens=50,
        stop=["\n"],
    )

    result = client.completions.create("gpt-35-turbo-instruct", body=body)

    assert_sent(server.last, path)
    assert server.last.content_type == "application/json"
    assert server.last.json() == {
        "prompt": "Negate the following sentence. The price for bubblegum increased on thursday.",
        "max_tokens": 50,
        "stop": ["\n"],
    }
    assert isinstance(result, m.CompletionsCreateResponse)
    assert (result.id, result.object, result.created) == (
        "cmpl-8tRgWe6QtxJZrEbeTuRIdpA2dcwSw",
        "text_completion",
        1708081772,  # `type: integer` in the spec, no unixtime format
    )
    (choice,) = result.choices
    assert choice.text == " The price for bubblegum decreased on thursday."
    assert (choice.finish_reason, choice.logprobs) == ("stop", None)
    assert choice.content_filter_results.violence.severity is m.ContentFilterSeverity.LOW
    assert result.usage.total_tokens == 26
    prompt_filter = result.prompt_filter_results[0].content_filter_results
    assert isinstance(prompt_filter, m.ContentFilterPromptResults)
    assert prompt_filter.jailbreak == m.ContentFilterDetectedResult(filtered=False, detected=False)


def test_completions_nullable_members_send_null_only_when_set(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    server.on("POST", deployment_path("instruct", "completions"), Reply(200, COMPLETION_REPLY))
    body = aoai.models.CompletionsCreateRequest(prompt=["a", "b"], logprobs=None, echo=False)

    client.completions.create("instruct", body=body)

    assert server.last.json() == {"prompt": ["a", "b"], "logprobs": None, "echo": False}


# --------------------------------------------------------------------------- chat completions


def test_chat_completions_create(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    path = deployment_path("gpt-35-turbo", "chat/completions")
    server.on("POST", path, Reply(200, CHAT_REPLY, {"apim-request-id": REQUEST_ID}))
    body = m.CreateChatCompletionRequest(
        messages=[
            m.ChatCompletionRequestMessageSystem(content="You are a helpful assistant."),
            m.ChatCompletionRequestMessageUser(content="How far away is the moon?"),
        ],
        temperature=0.7,
        max_tokens=800,
        seed=42,
    )

    result = client.chat_completions.create("gpt-35-turbo", body=body)

    assert_sent(server.last, path)
    assert server.last.content_type == "application/json"
    assert server.last.json() == {
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "How far away is the moon?"},
        ],
        "temperature": 0.7,
        "max_tokens": 800,
        "seed": 42,
    }
    assert isinstance(result, m.CreateChatCompletionResponse)
    assert result.object is m.ChatCompletionResponseObject.CHAT_COMPLETION
    assert result.created == dt.datetime(2024, 2, 16, 11, 8, 15, tzinfo=UTC)
    assert result.usage == m.CompletionUsage(
        prompt_tokens=28, completion_tokens=31, total_tokens=59
    )
    (choice,) = result.choices
    assert choice.message.role is m.ChatCompletionResponseMessageRole.ASSISTANT
    assert choice.message.content.startswith("The average distance")
    assert choice.finish_reason == "stop"


def test_chat_completions_decode_the_content_filter_annotations(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    server.on("POST", deployment_path("gpt-35-turbo", "chat/completions"), Reply(200, CHAT_REPLY))

    result = client.chat_completions.create(
        "gpt-35-turbo", body={"messages": [{"role": "user", "content": "Hi"}]}
    )

    (prompt,) = result.prompt_filter_results
    assert isinstance(prompt, m.PromptFilterResult) and prompt.prompt_index == 0
    assert isinstance(prompt.content_filter_results, m.ContentFilterPromptResults)
    assert prompt.content_filter_results.hate == m.ContentFilterSeverityResult(
        filtered=False, severity=m.ContentFilterSeverity.SAFE
    )
    assert prompt.content_filter_results.jailbreak.detected is False
    choice_filter = result.choices[0].content_filter_results
    assert isinstance(choice_filter, m.ContentFilterChoiceResults)
    assert choice_filter.violence.severity is m.ContentFilterSeverity.LOW
    assert isinstance(choice_filter.protected_material_code, m.ContentFilterDetectedResult)
    assert choice_filter.protected_material_text.filtered is False


def test_chat_completions_decode_tool_calls(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    path = deployment_path("gpt-4", "chat/completions")
    server.on("POST", path, Reply(200, TOOL_CALL_REPLY))
    tool = {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "parameters": {"type": "object", "properties": {"location": {"type": "string"}}},
        },
    }
    body = m.CreateChatCompletionRequest(
        messages=[m.ChatCompletionRequestMessageUser(content="Weather in Stockholm?")],
        tools=[m.ChatCompletionTool.from_dict(tool)],
        tool_choice=m.ChatCompletionToolChoiceOptionOption1.AUTO,
    )

    result = client.chat_completions.create("gpt-4", body=body)

    assert server.last.json()["tools"] == [tool]
    assert server.last.json()["tool_choice"] == "auto"
    message = result.choices[0].message
    assert message.content is None
    (call,) = message.tool_calls
    assert isinstance(call, m.ChatCompletionMessageToolCall)
    assert call.type is m.ToolCallType.FUNCTION
    assert call.function.name == "get_current_weather"
    assert json.loads(call.function.arguments) == {"location": "Stockholm, Sweden"}


def chunk(choices: list[Any], **extra: Any) -> bytes:
    event = {
        "choices": choices,
        "created": 1708081695,
        "id": "chatcmpl-8tRfHkKfa5eh5fBNW6Q3nh0n5A0sW",
        "model": "gpt-35-turbo",
        "object": "chat.completion.chunk",
        "system_fingerprint": "fp_68a7d165bf",
        **extra,
    }
    return b"data: " + json.dumps(event).encode() + b"\n\n"


CHAT_STREAM = b"".join(
    [
        # Azure's first event carries only the prompt's filter results.
        chunk(
            [],
            created=0,
            id="",
            model="",
            object="",
            system_fingerprint=None,
            prompt_filter_results=[{"prompt_index": 0, "content_filter_results": PROMPT_FILTER}],
        ),
        chunk([{"delta": {"content": "", "role": "assistant"}, "finish_reason": None, "index": 0}]),
        chunk(
            [
                {
                    "content_filter_results": CHOICE_FILTER,
                    "delta": {"content": "About 384,400 km."},
                    "finish_reason": None,
                    "index": 0,
                }
            ]
        ),
        chunk([{"content_filter_results": {}, "delta": {}, "finish_reason": "stop", "index": 0}]),
        b"data: [DONE]\n\n",
    ]
)


def test_chat_completions_stream(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    path = deployment_path("gpt-35-turbo", "chat/completions")
    server.on("POST", path, Reply(200, CHAT_STREAM, content_type="text/event-stream"))

    stream = client.chat_completions.create(
        "gpt-35-turbo",
        body={"messages": [{"role": "user", "content": "How far away is the moon?"}]},
        stream=True,
    )
    chunks = list(stream)

    assert_sent(server.last, path)
    assert server.last.headers["accept"] == "text/event-stream"
    assert server.last.json() == {
        "messages": [{"role": "user", "content": "How far away is the moon?"}],
        "stream": True,
    }
    assert stream.response.is_closed
    assert len(chunks) == 4 and all(isinstance(c, m.CreateChatCompletionResponse) for c in chunks)
    assert chunks[0].choices == []
    assert chunks[0].prompt_filter_results[0].content_filter_results.jailbreak.detected is False
    deltas = [c.choices[0].delta for c in chunks[1:]]
    assert "".join(d.content or "" for d in deltas) == "About 384,400 km."
    assert deltas[0].role == "assistant"
    assert chunks[2].choices[0].content_filter_results.violence.severity == "low"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[1].object == "chat.completion.chunk"


def test_chat_completion_round_trips_through_to_dict(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    reply = {**CHAT_REPLY, "x_region": "swedencentral"}
    server.on("POST", deployment_path("gpt-35-turbo", "chat/completions"), Reply(200, reply))

    result = client.chat_completions.create("gpt-35-turbo", body={"messages": []})

    assert result.additional_properties == {"x_region": "swedencentral"}
    assert result.choices[0].additional_properties == {"logprobs": None}  # not in the spec
    assert json.loads(json.dumps(result.to_dict())) == reply


def test_chat_completions_content_filter_error(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    server.on(
        "POST",
        deployment_path("gpt-35-turbo", "chat/completions"),
        Reply(400, CONTENT_FILTER_ERROR, {"apim-request-id": REQUEST_ID}),
    )

    with pytest.raises(aoai.BadRequestError) as info:
        client.chat_completions.create(
            "gpt-35-turbo", body={"messages": [{"role": "user", "content": "..."}]}
        )

    exc = info.value
    assert (exc.status_code, exc.request_id, exc.body) == (400, REQUEST_ID, CONTENT_FILTER_ERROR)
    assert (exc.code, exc.message) == ("content_filter", CONTENT_FILTER_ERROR["error"]["message"])
    assert isinstance(exc.error, m.ErrorResponse)
    error = exc.error.error
    assert isinstance(error, m.Error)
    assert (error.code, error.param, error.type) == ("content_filter", "prompt", None)
    assert error.inner_error.code is m.InnerErrorCode.RESPONSIBLE_AI_POLICY_VIOLATION
    filters = error.inner_error.content_filter_results
    assert isinstance(filters, m.ContentFilterPromptResults)
    assert filters.violence == m.ContentFilterSeverityResult(
        filtered=True, severity=m.ContentFilterSeverity.MEDIUM
    )


def test_chat_completions_content_filter_error_as_the_service_spells_it(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    # The live service sends `innererror` / `content_filter_result`, not the spec's
    # `inner_error` / `content_filter_results`: the members survive, undeclared.
    body = {
        "error": {
            "message": "The response was filtered due to the prompt triggering Azure "
            "OpenAI's content management policy.",
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {"violence": severity("high", filtered=True)},
            },
        }
    }
    server.on("POST", deployment_path("gpt-35-turbo", "chat/completions"), Reply(400, body))

    with pytest.raises(aoai.BadRequestError) as info:
        client.chat_completions.create("gpt-35-turbo", body={"messages": []})

    error = info.value.error.error
    assert error.code == "content_filter" and error.inner_error is None
    assert error.additional_properties == {"status": 400, "innererror": body["error"]["innererror"]}


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
    ],
)
def test_chat_completions_error_statuses_map_to_their_classes(
    client: Any, server: Server, aoai: ModuleType, status: int, name: str
) -> None:
    body = {"error": {"code": str(status), "message": f"Request failed with status {status}."}}
    server.on(
        "POST",
        deployment_path("gpt-35-turbo", "chat/completions"),
        Reply(status, body, {"apim-request-id": REQUEST_ID, "retry-after": "1"}),
    )

    with pytest.raises(aoai.ApiError) as info:
        client.chat_completions.create("gpt-35-turbo", body={"messages": []})

    exc = info.value
    assert type(exc) is getattr(aoai, name)
    assert (exc.status_code, exc.request_id, exc.body) == (status, REQUEST_ID, body)
    assert isinstance(exc.error, aoai.models.ErrorResponse)
    assert exc.error.error.code == str(status)
    assert len(server.requests) == 1


# --------------------------------------------------------------------------- embeddings


@pytest.fixture
def vector() -> list[float]:
    rng = random.Random(1536)
    return [rng.uniform(-0.1, 0.1) for _ in range(1536)]


def test_embeddings_create(
    client: Any, server: Server, aoai: ModuleType, vector: list[float]
) -> None:
    m = aoai.models
    path = deployment_path("text-embedding-ada-002", "embeddings")
    reply = {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": vector}],
        "model": "ada",
        "usage": {"prompt_tokens": 6, "total_tokens": 6},
    }
    server.on("POST", path, Reply(200, reply))

    result = client.embeddings.create(
        "text-embedding-ada-002",
        body=m.EmbeddingsCreateRequest(input=["I love Azure API Management"], user="APIM"),
    )

    assert_sent(server.last, path)
    assert server.last.json() == {"input": ["I love Azure API Management"], "user": "APIM"}
    assert isinstance(result, m.EmbeddingsCreateResponse)
    (item,) = result.data
    assert isinstance(item, m.EmbeddingsCreateResponseDataItem)
    assert (item.index, item.object) == (0, "embedding")
    assert isinstance(item.embedding, list) and len(item.embedding) == 1536
    assert all(isinstance(x, float) for x in item.embedding)
    assert item.embedding == vector
    assert (result.usage.prompt_tokens, result.usage.total_tokens) == (6, 6)


def test_embeddings_deployment_enum_and_string_input(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    reply = {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.0023064255, -0.009327292]}],
        "model": "ada",
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }
    server.on("POST", deployment_path("embedding", "embeddings"), Reply(200, reply))

    result = client.embeddings.create(
        m.EmbeddingsCreateDeploymentId.EMBEDDING, body={"input": "query", "input_type": "query"}
    )

    assert server.last.json() == {"input": "query", "input_type": "query"}
    assert result.data[0].embedding == [0.0023064255, -0.009327292]


def test_embeddings_rate_limit_keeps_the_raw_error(client: Any, server: Server, aoai: Any) -> None:
    body = {
        "error": {
            "code": "429",
            "message": "Requests to the Embeddings_Create Operation under Azure OpenAI API "
            "version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 "
            "pricing tier. Please retry after 2 seconds.",
        }
    }
    server.on(
        "POST",
        deployment_path("ada", "embeddings"),
        Reply(429, body, {"apim-request-id": REQUEST_ID, "retry-after": "2"}),
    )

    with pytest.raises(aoai.RateLimitError) as info:
        client.embeddings.create("ada", body={"input": "x"})

    # The spec declares no error response for embeddings: nothing to decode into.
    assert (info.value.body, info.value.error, info.value.code) == (body, None, "429")
    assert info.value.request_id == REQUEST_ID


# --------------------------------------------------------------------------- audio


def audio_as_bytes(tmp_path: Path) -> Any:
    return WAV


def audio_as_path(tmp_path: Path) -> Any:
    path = tmp_path / "meeting.wav"
    path.write_bytes(WAV)
    return path


def audio_as_tuple(tmp_path: Path) -> Any:
    return ("meeting.wav", io.BytesIO(WAV), "audio/wav")


AUDIO_INPUTS = [
    pytest.param(audio_as_bytes, "upload", "application/octet-stream", id="bytes"),
    pytest.param(audio_as_path, "meeting.wav", "audio/x-wav", id="path"),
    pytest.param(audio_as_tuple, "meeting.wav", "audio/wav", id="tuple"),
]


def assert_audio_multipart(
    request: Recorded, filename: str, content_type: str, fields: dict[str, bytes]
) -> None:
    content_type_sent = request.content_type or ""
    assert content_type_sent.startswith("multipart/form-data; boundary="), content_type_sent
    parts = {part.name: part for part in request.multipart()}
    file = parts.pop("file")
    assert (file.filename, file.content_type, file.data) == (filename, content_type, WAV)
    assert {name: part.data for name, part in parts.items()} == fields
    assert all(part.filename is None for part in parts.values())


@pytest.mark.parametrize(("make_file", "filename", "content_type"), AUDIO_INPUTS)
def test_transcriptions_send_the_audio_as_a_file_part(
    client: Any,
    server: Server,
    tmp_path: Path,
    make_file: Callable[[Path], Any],
    filename: str,
    content_type: str,
) -> None:
    path = deployment_path("whisper", "audio/transcriptions")
    server.on("POST", path, Reply(200, {"text": TRANSCRIPT}))

    client.transcriptions.create(
        "whisper",
        file=make_file(tmp_path),
        prompt="Azure, OpenAI, whisper",
        response_format="json",
        temperature=0.2,
        language="en",
    )

    assert_sent(server.last, path)
    assert_audio_multipart(
        server.last,
        filename,
        content_type,
        {
            "prompt": b"Azure, OpenAI, whisper",
            "response_format": b"json",
            "temperature": b"0.2",
            "language": b"en",
        },
    )


def test_transcriptions_without_a_file_still_send_multipart(client: Any, server: Server) -> None:
    # `file` is optional in the spec; the body's media type is still multipart/form-data.
    server.on("POST", deployment_path("whisper", "audio/transcriptions"), Reply(200, {"text": ""}))

    client.transcriptions.create("whisper", language="en")

    content_type_sent = server.last.content_type or ""
    assert content_type_sent.startswith("multipart/form-data; boundary="), content_type_sent
    assert [(p.name, p.data) for p in server.last.multipart()] == [("language", b"en")]


def test_transcriptions_decode_json(client: Any, server: Server, aoai: ModuleType) -> None:
    server.on(
        "POST", deployment_path("whisper", "audio/transcriptions"), Reply(200, {"text": TRANSCRIPT})
    )

    result = client.transcriptions.create("whisper", file=("a.wav", WAV, "audio/wav"))

    assert isinstance(result, aoai.models.AudioResponse)
    assert result.text == TRANSCRIPT


def test_transcriptions_decode_verbose_json(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    server.on(
        "POST",
        deployment_path("whisper", "audio/transcriptions"),
        Reply(200, VERBOSE_TRANSCRIPTION),
    )

    result = client.transcriptions.create(
        "whisper",
        file=("a.wav", WAV, "audio/wav"),
        response_format=m.TranscriptionsCreateResponseFormat.VERBOSE_JSON,
    )

    assert isinstance(result, m.AudioVerboseResponse)
    assert (result.task, result.language, result.duration) == (
        m.AudioTaskLabel.TRANSCRIBE,
        "english",
        3.62,
    )
    (segment,) = result.segments
    assert isinstance(segment, m.AudioSegment)
    assert (segment.start, segment.end, segment.no_speech_prob) == (0.0, 3.62, 0.0121)
    assert result.additional_properties == {}


def test_transcriptions_return_plain_text_formats_as_text(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    # The spec's 200 also has `text/plain` (response_format text, srt or vtt).
    srt = "1\n00:00:00,000 --> 00:00:03,620\n" + TRANSCRIPT + "\n\n"
    server.on(
        "POST",
        deployment_path("whisper", "audio/transcriptions"),
        Reply(200, srt, content_type="text/plain; charset=utf-8"),
    )

    result = client.transcriptions.create(
        "whisper", file=("a.wav", WAV, "audio/wav"), response_format="srt"
    )

    assert result == srt


@pytest.mark.parametrize(("make_file", "filename", "content_type"), AUDIO_INPUTS)
def test_translations_send_the_audio_as_a_file_part(
    client: Any,
    server: Server,
    tmp_path: Path,
    make_file: Callable[[Path], Any],
    filename: str,
    content_type: str,
) -> None:
    path = deployment_path("whisper", "audio/translations")
    server.on("POST", path, Reply(200, {"text": TRANSCRIPT}))

    client.translations.create(
        "whisper", file=make_file(tmp_path), response_format="json", temperature=0
    )

    assert_sent(server.last, path)
    assert_audio_multipart(
        server.last, filename, content_type, {"response_format": b"json", "temperature": b"0"}
    )


def test_translations_decode_json(client: Any, server: Server, aoai: ModuleType) -> None:
    server.on(
        "POST", deployment_path("whisper", "audio/translations"), Reply(200, {"text": TRANSCRIPT})
    )

    result = client.translations.create("whisper", file=("a.wav", WAV, "audio/wav"))

    assert type(result) is aoai.models.AudioResponse
    assert result.text == TRANSCRIPT


def test_translations_decode_verbose_json(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    verbose = {**VERBOSE_TRANSCRIPTION, "task": "translate", "language": "swedish"}
    server.on("POST", deployment_path("whisper", "audio/translations"), Reply(200, verbose))

    result = client.translations.create(
        "whisper", file=("a.wav", WAV, "audio/wav"), response_format="verbose_json"
    )

    assert isinstance(result, m.AudioVerboseResponse)
    assert (result.task, result.language) == (m.AudioTaskLabel.TRANSLATE, "swedish")
    assert result.segments[0].tokens[0] == 50364


# --------------------------------------------------------------------------- images


def test_image_generations_create(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    path = deployment_path("dall-e-3", "images/generations")
    server.on("POST", path, Reply(200, IMAGE_REPLY, {"apim-request-id": REQUEST_ID}))
    body = m.ImageGenerationsRequest(
        prompt="a corgi in a field",
        n=1,
        size=m.Size.SIZE_1024_X_1024,
        quality=m.Quality.STANDARD,
        style=m.Style.VIVID,
    )

    result = client.image_generations.create("dall-e-3", body=body)

    assert_sent(server.last, path)
    assert server.last.json() == {
        "prompt": "a corgi in a field",
        "n": 1,
        "size": "1024x1024",
        "quality": "standard",
        "style": "vivid",
    }
    assert isinstance(result, m.GenerateImagesResponse)
    assert result.created == dt.datetime(2024, 2, 16, 11, 6, 52, tzinfo=UTC)
    (image,) = result.data
    assert isinstance(image, m.ImageResult)
    assert image.url == IMAGE_URL
    assert image.revised_prompt.startswith("A photograph of a corgi")
    assert isinstance(image.content_filter_results, m.DalleContentFilterResults)
    assert image.content_filter_results.sexual.severity is m.ContentFilterSeverity.SAFE
    assert isinstance(image.prompt_filter_results, m.DalleFilterResults)
    assert image.prompt_filter_results.profanity.detected is False


def test_image_generations_b64_json(client: Any, server: Server, aoai: ModuleType) -> None:
    m = aoai.models
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    reply = {"created": 1708081612, "data": [{"b64_json": png, "revised_prompt": "A corgi."}]}
    server.on("POST", deployment_path("dall-e-3", "images/generations"), Reply(200, reply))

    result = client.image_generations.create(
        "dall-e-3",
        body=m.ImageGenerationsRequest(
            prompt="a corgi", response_format=m.ImagesResponseFormat("b64_json")
        ),
    )

    assert server.last.json() == {"prompt": "a corgi", "response_format": "b64_json"}
    image = result.data[0]
    assert image.url is None
    assert image.b64_json == png  # the wire name is a valid identifier: keep it


def test_image_generations_content_policy_error(
    client: Any, server: Server, aoai: ModuleType
) -> None:
    m = aoai.models
    body = {
        "error": {
            "code": "contentFilter",
            "message": "Your task failed as a result of our safety system.",
            "inner_error": {
                "code": "ResponsibleAIPolicyViolation",
                "revised_prompt": "A violent scene in a field.",
                "content_filter_results": {
                    "hate": severity(),
                    "jailbreak": detected(),
                    "self_harm": severity(),
                    "sexual": severity(),
                    "violence": severity("high", filtered=True),
                },
            },
        }
    }
    server.on(
        "POST",
        deployment_path("dall-e-3", "images/generations"),
        Reply(400, body, {"apim-request-id": REQUEST_ID}),
    )

    with pytest.raises(aoai.BadRequestError) as info:
        client.image_generations.create("dall-e-3", body={"prompt": "..."})

    assert info.value.request_id == REQUEST_ID
    assert isinstance(info.value.error, m.DalleErrorResponse)
    inner = info.value.error.error.inner_error
    assert isinstance(inner, m.DalleInnerError)
    assert inner.code is m.InnerErrorCode.RESPONSIBLE_AI_POLICY_VIOLATION
    assert inner.revised_prompt == "A violent scene in a field."
    assert isinstance(inner.content_filter_results, m.DalleFilterResults)
    assert inner.content_filter_results.violence.severity is m.ContentFilterSeverity.HIGH
    assert inner.content_filter_results.jailbreak.detected is False


# --------------------------------------------------------------------------- the envelope

ALL_OPERATIONS = [
    ("completions", "completions", COMPLETION_REPLY),
    ("chat_completions", "chat/completions", CHAT_REPLY),
    (
        "embeddings",
        "embeddings",
        {
            "object": "list",
            "data": [],
            "model": "ada",
            "usage": {"prompt_tokens": 0, "total_tokens": 0},
        },
    ),
    ("image_generations", "images/generations", IMAGE_REPLY),
]


@pytest.mark.parametrize(("group", "operation", "reply"), ALL_OPERATIONS)
def test_deployment_ids_are_percent_encoded(
    client: Any, server: Server, group: str, operation: str, reply: Any
) -> None:
    server.replies = [Reply(200, reply)]

    getattr(client, group).create("my dep/v1?x#y")

    assert_sent(server.last, deployment_path("my%20dep%2Fv1%3Fx%23y", operation))
    assert server.last.body == b""  # no body given: none sent


@pytest.mark.parametrize("group", ["transcriptions", "translations"])
def test_audio_deployment_ids_are_percent_encoded(client: Any, server: Server, group: str) -> None:
    server.replies = [Reply(200, {"text": TRANSCRIPT})]

    getattr(client, group).create("whisper/1?", file=("a.wav", WAV, "audio/wav"))

    assert_sent(server.last, deployment_path("whisper%2F1%3F", f"audio/{group}"))


def test_token_provider_and_api_version_override(aoai: ModuleType, server: Server) -> None:
    server.on("POST", deployment_path("gpt-35-turbo", "chat/completions"), Reply(200, CHAT_REPLY))
    with aoai.Client(
        base_url=server.url + "/openai",
        token_provider=lambda: "eyJhbGciOiJSUzI1NiJ9.e30.sig",
        api_version="2024-06-01",
    ) as client:
        client.chat_completions.create("gpt-35-turbo", body={"messages": []})

    assert server.last.query == {"api-version": ["2024-06-01"]}
    assert server.last.headers["authorization"] == "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig"
    assert "api-key" not in server.last.headers


def test_throttled_chat_completion_is_retried(aoai: ModuleType, server: Server) -> None:
    server.replies = [
        Reply(429, {"error": {"code": "429", "message": "Rate limit"}}, {"retry-after-ms": "750"}),
        Reply(200, CHAT_REPLY),
    ]
    delays: list[float] = []
    with aoai.Client(base_url=server.url + "/openai", api_key=API_KEY) as client:
        client._sleep = delays.append  # the delays asked for, without waiting them
        result = client.chat_completions.create("gpt-35-turbo", body={"messages": []})

    assert delays == [0.75]  # the server's retry-after-ms
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body == b'{"messages":[]}'
    assert result.id == CHAT_REPLY["id"]


# --------------------------------------------------------------------------- async


def run_async(aoai: ModuleType, server: Server, body: Callable[[Any], Any]) -> Any:
    async def main() -> Any:
        async with aoai.AsyncClient(
            base_url=server.url + "/openai", api_key=API_KEY, max_retries=0
        ) as client:
            return await body(client)

    return asyncio.run(main())


def test_async_chat_completion_and_embeddings(
    aoai: ModuleType, server: Server, vector: list[float]
) -> None:
    embeddings = {
        "object": "list",
        "data": [{"object": "embedding", "index": 0, "embedding": vector}],
        "model": "ada",
        "usage": {"prompt_tokens": 3, "total_tokens": 3},
    }
    server.on("POST", deployment_path("gpt-35-turbo", "chat/completions"), Reply(200, CHAT_REPLY))
    server.on("POST", deployment_path("ada", "embeddings"), Reply(200, embeddings))

    async def body(client: Any) -> Any:
        chat = await client.chat_completions.create(
            "gpt-35-turbo", body={"messages": [{"role": "user", "content": "Hi"}]}
        )
        return chat, await client.embeddings.create("ada", body={"input": "Hi"})

    chat, embedded = run_async(aoai, server, body)

    assert_sent(server.requests[0], deployment_path("gpt-35-turbo", "chat/completions"))
    assert server.requests[0].json() == {"messages": [{"role": "user", "content": "Hi"}]}
    assert isinstance(chat, aoai.models.CreateChatCompletionResponse)
    assert chat.prompt_filter_results[0].content_filter_results.jailbreak.filtered is False
    assert embedded.data[0].embedding == vector


def test_async_content_filter_error(aoai: ModuleType, server: Server) -> None:
    server.on(
        "POST",
        deployment_path("gpt-35-turbo", "chat/completions"),
        Reply(400, CONTENT_FILTER_ERROR, {"apim-request-id": REQUEST_ID}),
    )

    async def body(client: Any) -> Any:
        with pytest.raises(aoai.BadRequestError) as info:
            await client.chat_completions.create("gpt-35-turbo", body={"messages": []})
        return info.value

    exc = run_async(aoai, server, body)

    assert exc.request_id == REQUEST_ID
    assert exc.error.error.inner_error.content_filter_results.violence.filtered is True


def test_async_transcription_sends_a_file_part(aoai: ModuleType, server: Server) -> None:
    path = deployment_path("whisper", "audio/transcriptions")
    server.on("POST", path, Reply(200, {"text": TRANSCRIPT}))

    async def body(client: Any) -> Any:
        return await client.transcriptions.create(
            "whisper", file=("meeting.wav", WAV, "audio/wav"), language="en"
        )

    result = run_async(aoai, server, body)

    assert_audio_multipart(server.last, "meeting.wav", "audio/wav", {"language": b"en"})
    assert result.text == TRANSCRIPT
