"""``specgen diff`` on the real version pairs of the corpus, its output formats and exit codes,
and Swagger 2.0 against OpenAPI 3.0 by meaning."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.diff.compare import compare
from generator.pipeline import build_ir
from tests.helpers import CORPUS, ROOT, write_spec
from tests.prism import SWAGGER2OPENAPI, require_tools
from tests.test_cli import GOOD, specgen

AZURE = CORPUS / "azure-openai"
AUTHORING_OLD = AZURE / "authoring-2023-05-15.yaml"
AUTHORING_NEW = AZURE / "authoring-2024-02-01.yaml"
INFERENCE_SEED = ROOT / "specs" / "azure-openai-inference-2024-02-01.yaml"
PREVIEW = AZURE / "inference-2024-03-01-preview.yaml"
PREVIEW_SWAGGER = AZURE / "inference-2024-03-01-preview-swagger.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: no job applies unless one is named


def diff_json(capsys: pytest.CaptureFixture[str], old: Path, new: Path, *extra: str) -> dict:
    run = specgen(capsys, "diff", str(old), str(new), "--format", "json", *extra)
    assert run.code == 0, run.err
    data: dict = json.loads(run.out)
    return data


def kinds_of(data: dict, python: str) -> set[tuple[str, bool]]:
    return {(c["kind"], c["breaking"]) for c in data["changes"] if c["python"] == python}


# --------------------------------------------------------------------------- corpus pairs


def test_authoring_fine_tunes_replaced_by_fine_tuning_jobs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = diff_json(capsys, AUTHORING_OLD, AUTHORING_NEW)
    assert set(data) == {"old", "new", "breaking", "changes"}
    assert data["old"] == str(AUTHORING_OLD) and data["new"] == str(AUTHORING_NEW)
    assert data["breaking"] == sum(c["breaking"] for c in data["changes"]) > 0
    for change in data["changes"]:
        assert set(change) == {"kind", "breaking", "http", "python", "message"}
    removed = {c["http"]: c["python"] for c in data["changes"] if c["kind"] == "operation-removed"}
    added = {c["http"]: c["python"] for c in data["changes"] if c["kind"] == "operation-added"}
    assert removed["POST /fine-tunes"] == "client.fine_tunes.create"
    assert removed["GET /fine-tunes/{fine-tune-id}/events"] == "client.fine_tunes.getevents"
    assert added["POST /fine_tuning/jobs"] == "client.fine_tuning.create"
    assert len(removed) == len(added) == 6
    assert kinds_of(data, "FineTune") == {("model-removed", True)}
    assert kinds_of(data, "FineTuningJob") == {("model-added", False)}
    # fields a reader of File loses, and a new optional argument of files.list
    assert kinds_of(data, "File.statistics") == {("field-removed", True)}
    assert kinds_of(data, "File.status_details") == {("field-added", False)}
    assert kinds_of(data, "client.files.list(purpose)") == {("parameter-added", False)}
    # the closed-or-open question: ErrorCode is open (modelAsString), so new codes are harmless
    assert kinds_of(data, "ErrorCode.TOO_MANY_REQUESTS") == {("enum-value-added", False)}
    assert kinds_of(data, "TypeDiscriminator.FINE_TUNE") == {("enum-value-removed", True)}
    default = [c for c in data["changes"] if c["kind"] == "client-parameter-default-changed"]
    assert [c["python"] for c in default] == ["Client(api_version)"]
    assert not default[0]["breaking"]


def test_authoring_text_report_puts_breaking_changes_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = specgen(capsys, "diff", str(AUTHORING_OLD), str(AUTHORING_NEW))
    assert run.code == 0
    head, rest = run.out.split("\n", 1)
    assert "6 operations removed (breaking)" in head and "6 operations added" in head
    assert head.index("(breaking)") < head.index("6 operations added")
    assert rest.index("Breaking changes (") < rest.index("Other changes (")
    breaking = rest.split("Other changes (")[0]
    assert "operation-removed" in breaking and "operation-added" not in breaking
    assert "client.fine_tunes.create" in breaking


def test_fail_on_breaking(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", str(AUTHORING_OLD), str(AUTHORING_NEW), "--fail-on-breaking"]
    assert specgen(capsys, *args).code == 1
    same = ["diff", str(AUTHORING_NEW), str(AUTHORING_NEW), "--fail-on-breaking"]
    run = specgen(capsys, *same)
    assert run.code == 0
    assert "no changes to the Python API" in run.out


def test_inference_seed_to_preview(capsys: pytest.CaptureFixture[str]) -> None:
    """The seed (2024-02-01, 6 operations) against the 2024-03-01 preview (35): assistants
    arrive, the per-operation groups become one ``deployments`` group, and ``api-version``
    stops being a client argument (not every preview operation takes it)."""
    data = diff_json(capsys, INFERENCE_SEED, PREVIEW)
    renamed = {c["python"] for c in data["changes"] if c["kind"] == "operation-renamed"}
    assert "client.deployments.chatcompletions_create" in renamed
    assert kinds_of(data, "Client(api_version)") == {("client-parameter-removed", True)}
    added = {c["http"] for c in data["changes"] if c["kind"] == "operation-added"}
    assert "POST /assistants" in added and len(added) == 29
    # a response model grew optional fields: harmless to readers
    logprobs = kinds_of(data, "CreateChatCompletionResponseChoicesItem.logprobs")
    assert logprobs == {("field-added", False)}


def test_preview_editions_agree_where_they_describe_the_same_calls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Swagger 2.0 and OpenAPI 3.0 editions of 2024-03-01-preview are two documents
    (TypeSpec's autorest output, 9 operations; the OpenAPI 3.0 one, 35), not one converted:
    schema names and operationIds differ.  What differs only in wording must not show:
    the same seven HTTP operations, the path parameter spelled ``deploymentId`` or
    ``deployment-id`` (one Python argument), the security schemes named ``ApiKeyAuth`` or
    ``apiKey`` (one constructor argument)."""
    data = diff_json(capsys, PREVIEW_SWAGGER, PREVIEW)
    removed = {c["http"] for c in data["changes"] if c["kind"] == "operation-removed"}
    # the two x-ms-paths variants (`?_overload=…`) that OpenAPI 3.0 folds into one operation
    assert removed == {
        "POST /deployments/{deploymentId}/audio/transcriptions",
        "POST /deployments/{deploymentId}/audio/translations",
    }
    renamed = [c for c in data["changes"] if c["kind"] == "operation-renamed"]
    assert len(renamed) == 7
    moved = [c for c in data["changes"] if c["kind"] == "parameter-moved"]
    assert all(not c["breaking"] for c in moved)
    assert sum(c["python"].endswith("(deployment_id)") for c in moved) == 7
    # speech: the JSON body's members (keyword arguments) are multipart parts in 3.0
    speech = "client.deployments.microsoft_azure_generatespeechfromtext"
    assert {c["python"] for c in moved} - {
        c["python"] for c in moved if "deployment_id" in c["python"]
    } == {f"{speech}({name})" for name in ("input", "voice", "response_format", "speed")}
    assert "body member 'input' -> form 'input'" in next(
        c["message"] for c in moved if c["python"] == f"{speech}(input)"
    )
    kinds = {c["kind"] for c in data["changes"]}
    assert "security-scheme-removed" not in kinds and "host-parameter-removed" not in kinds


# --------------------------------------------------------------------------- formats


def test_markdown_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write_spec(tmp_path, GOOD, "old.yaml")
    new = write_spec(
        tmp_path,
        GOOD.replace("required: [name]", "required: [name, age]").replace(
            "age: {type: integer}", "age: {type: integer}\n      tag_id: {type: string}"
        ),
        "new.yaml",
    )
    run = specgen(capsys, "diff", old.name, new.name, "--format", "markdown")
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "## API changes: `old.yaml` → `new.yaml`"
    assert lines[2] == "1 field added, 1 field made required."
    assert "### Other changes" in lines
    assert r"- **field-added** `Pet.tag_id`: optional field Pet.tag\_id added" in lines
    assert "### Breaking changes" not in lines  # Pet is only read: both are harmless


# --------------------------------------------------------------------------- errors, jobs


@pytest.mark.parametrize(
    "broken",
    [
        GOOD.replace('$ref: "#/definitions/Pet"', '$ref: "#/x"'),  # the loader finds it
        GOOD.replace('version: "1"', 'version: ["1"]'),  # the validator finds it
    ],
    ids=["broken-ref", "invalid"],
)
def test_spec_errors_as_generate_reports_them(
    broken: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_spec(tmp_path, GOOD, "good.yaml")
    bad = write_spec(tmp_path, broken, "b.yaml")
    diff = specgen(capsys, "diff", good.name, bad.name)
    generate = specgen(capsys, "generate", bad.name, "-o", "out", "-p", "pets")
    assert diff.code == generate.code == 1
    assert diff.err == generate.err and diff.err.startswith("b.yaml:")
    assert diff.out == ""


@pytest.mark.parametrize(
    "argv",
    [["diff", "a.yaml"], ["diff", "a.yaml", "b.yaml", "--format", "html"]],
    ids=["one-spec", "bad-format"],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert specgen(capsys, *argv).code == 2


def test_unknown_job_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path, GOOD)
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.specgen.jobs]]\nspec = "spec.yaml"\noutput = "out"\npackage-name = "pets"\n'
    )
    run = specgen(capsys, "diff", str(spec), str(spec), "--job", "nope")
    assert run.code == 2
    assert "no job named 'nope'" in run.err and "pets" in run.err


def test_a_job_renames_apply_to_both_sides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the job, the new operationId shows as a renamed call; with the job's rename
    (``Pets_Get`` → ``fetch``), both sides have ``client.fetch``: no change."""
    old = write_spec(tmp_path, GOOD, "old.yaml")
    new = write_spec(tmp_path, GOOD.replace("Pets_Get", "Pets_Fetch"), "new.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.specgen.jobs]]\nspec = "old.yaml"\noutput = "out"\npackage-name = "pets"\n'
        '[tool.specgen.jobs.rename]\nPets_Get = "fetch"\n'
    )
    plain = diff_json(capsys, old, new, "--config", "none.toml")
    assert [c["kind"] for c in plain["changes"]] == ["operation-renamed"]
    for extra in ([], ["--job", "pets"]):  # OLD is the job's spec; or the job is named
        assert diff_json(capsys, old, new, *extra)["changes"] == []


# --------------------------------------------------------------------------- formats by meaning

SWAGGER = """\
swagger: "2.0"
info: {title: Pets, version: "1"}
host: pets.example.com
basePath: /v1
schemes: [https]
securityDefinitions:
  key: {type: apiKey, in: header, name: api-key}
security: [{key: []}]
paths:
  /pets/{petId}:
    get:
      operationId: Pets_Get
      tags: [pets]
      produces: [application/json]
      parameters:
        - {name: petId, in: path, required: true, type: string}
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: x-trace, in: header, type: string}
      responses:
        "200": {description: ok, schema: {$ref: "#/definitions/Pet"}}
        default: {description: error, schema: {$ref: "#/definitions/Error"}}
    put:
      operationId: Pets_Put
      tags: [pets]
      consumes: [application/json]
      produces: [application/json]
      parameters:
        - {name: petId, in: path, required: true, type: string}
        - {name: pet, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
      responses:
        "200": {description: ok, schema: {$ref: "#/definitions/Pet"}}
  /pets/{petId}/photo:
    post:
      operationId: Pets_Upload
      tags: [pets]
      consumes: [multipart/form-data]
      parameters:
        - {name: petId, in: path, required: true, type: string}
        - {name: photo, in: formData, required: true, type: file}
        - {name: caption, in: formData, type: string}
      responses:
        "204": {description: done}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
      born: {type: string, format: date-time}
      weight: {type: number, x-nullable: true}
      kind: {type: string, enum: [cat, dog], x-ms-enum: {name: Kind, modelAsString: false}}
      toys: {type: array, items: {$ref: "#/definitions/Toy"}}
      extra: {type: object, additionalProperties: {type: integer}}
  Toy:
    type: object
    properties:
      label: {type: string}
  Error:
    type: object
    properties:
      message: {type: string}
"""

OPENAPI3 = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
servers: [{url: "https://pets.example.com/v1"}]
security: [{key: []}]
paths:
  /pets/{petId}:
    get:
      operationId: Pets_Get
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
        - {name: tags, in: query, explode: true, schema: {type: array, items: {type: string}}}
        - {name: x-trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
        default:
          description: error
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
    put:
      operationId: Pets_Put
      tags: [pets]
      requestBody:
        required: true
        x-codegen-request-body-name: pet
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
  /pets/{petId}/photo:
    post:
      operationId: Pets_Upload
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              properties:
                photo: {type: string, format: binary}
                caption: {type: string}
      responses:
        "204": {description: done}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: api-key}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        born: {type: string, format: date-time}
        weight: {type: number, nullable: true}
        kind: {type: string, enum: [cat, dog], x-ms-enum: {name: Kind, modelAsString: false}}
        toys: {type: array, items: {$ref: "#/components/schemas/Toy"}}
        extra: {type: object, additionalProperties: {type: integer}}
    Toy:
      type: object
      properties:
        label: {type: string}
    Error:
      type: object
      properties:
        message: {type: string}
"""


def test_swagger_2_and_its_openapi_3_conversion_have_no_changes(tmp_path: Path) -> None:
    swagger = build_ir(write_spec(tmp_path, SWAGGER, "pets-2.0.yaml"))
    openapi = build_ir(write_spec(tmp_path, OPENAPI3, "pets-3.0.yaml"))
    assert compare(swagger, openapi) == []
    assert compare(openapi, swagger) == []
    # and the comparison does see a change of meaning between the two formats
    changed = build_ir(write_spec(tmp_path, OPENAPI3.replace("nullable: true", ""), "c.yaml"))
    # the model's field, and the body member that stands for it as a keyword argument
    assert sorted((c.kind, c.python, c.breaking) for c in compare(swagger, changed)) == [
        ("field-made-non-nullable", "Pet.weight", True),
        ("parameter-type-changed", "client.pets.put(weight)", True),
    ]


def test_help_lists_diff(capsys: pytest.CaptureFixture[str]) -> None:
    run = specgen(capsys, "--help")
    assert run.code == 0 and "\n  diff " in run.out
    run = specgen(capsys, "diff", "--help")
    assert run.code == 0
    for option in ("--job", "--format", "--fail-on-breaking", "--config"):
        assert option in run.out


def test_the_swagger_edition_against_its_openapi_3_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Swagger 2.0 edition of 2024-03-01-preview converted by swagger2openapi: the same
    calls, arguments, models and return types.  What remains is what the conversion changes
    itself: it repeats each response's schema under every media type ``produces`` lists
    (where specgen's 2.0 reader gives a response one media type), and it drops the
    ``x-nullable`` written beside a ``$ref`` (OpenAPI 3.0 ignores a ref's siblings)."""
    require_tools()
    converted = tmp_path / "preview-converted.json"
    subprocess.run(
        [str(SWAGGER2OPENAPI), str(PREVIEW_SWAGGER), "--outfile", str(converted)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = diff_json(capsys, PREVIEW_SWAGGER, converted)
    assert data["breaking"] == 0
    kinds = {(c["kind"], c["python"]) for c in data["changes"]}
    assert kinds == {
        (
            "response-content-type-changed",
            "client.deployments.microsoft_azure_generatespeechfromtext",
        ),
        (
            "response-content-type-changed",
            "client.deployments.microsoft_azure_getaudiotranscriptionasplaintext",
        ),
        (
            "response-content-type-changed",
            "client.deployments.microsoft_azure_getaudiotranslationasplaintext",
        ),
        ("field-made-non-nullable", "ChatChoice.finish_reason"),
        ("field-made-non-nullable", "Choice.finish_reason"),
    }


def test_warnings_as_generate_prints_them(capsys: pytest.CaptureFixture[str]) -> None:
    """One line per kind of warning and spec (the corpus's authoring specs name example files
    that are not there), every one with --verbose."""
    short = specgen(capsys, "diff", str(AUTHORING_OLD), str(AUTHORING_NEW))
    full = specgen(capsys, "diff", str(AUTHORING_OLD), str(AUTHORING_NEW), "--verbose")
    generate = specgen(capsys, "generate", str(AUTHORING_OLD), "-o", "out", "-p", "a")
    first = short.err.splitlines()[0]
    assert first == generate.err.splitlines()[0] and "example file not found" in first
    assert len(short.err.splitlines()) == 2  # one kind in each spec
    assert len(full.err.splitlines()) > 10
    assert short.out == full.out
