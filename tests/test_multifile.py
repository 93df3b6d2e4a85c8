"""Multi-file specs: a spec split over 31 files in sibling folders, with refs in every
direction (down, up into the root, sideways, into sub-trees, refs to refs, whole files that
are plain schema documents, YAML anchors), generated, type-checked and driven on the wire;
then the loader's and validator's behaviour on broken multi-file specs.

The spec is written file by file into a temporary folder: ``FILES`` maps each path below
the spec's folder (``api/``) to its text.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator import loader
from generator.cli import main
from generator.config import Job
from generator.errors import SpecError
from generator.ir import Api, ListType, Model, ModelRef, UnionType
from generator.loader import load_spec
from generator.pipeline import build_ir, write_job
from tests.helpers import import_generated
from tests.server import Reply, Server

FILES: dict[str, str] = {
    "openapi.yaml": """
        openapi: 3.0.3
        info: {title: Pet shop, version: "1.0"}
        servers: [{url: "http://localhost"}]
        security: [{key: []}]
        paths:
          /pets:
            $ref: ./paths/pets.yaml
          /pets/{petId}:
            $ref: ./paths/pet.yaml
          /owners:
            $ref: ./paths/owners/owners.yaml
          /owners/{ownerId}:
            $ref: ./paths/owners/owner.yaml
          /stores/{storeId}:
            $ref: ./paths/stores.yaml
          /stores/{storeId}/inventory:
            $ref: ./paths/stores.yaml#/x-inventory
        components:
          schemas:
            Error:
              $ref: ./schemas/Error.yaml
            PetList:
              $ref: ./schemas/PetList.yaml
            Money:
              $ref: ./schemas/shared/defs.yaml#/Money
            Audit:
              $ref: ./schemas/shared/audit-trail.json
          responses:
            NotFound:
              $ref: ./responses/NotFound.yaml
          securitySchemes:
            key:
              $ref: ./security/key.yaml
    """,
    "security/key.yaml": "type: apiKey\nin: header\nname: X-Key\n",
    # -- paths: one file per path item, one a sub-tree of another file's
    "paths/pets.yaml": """
        get:
          operationId: listPets
          tags: [pets]
          parameters:
            - $ref: ../parameters/limit.yaml
            - $ref: ../parameters/_index.yaml#/Offset
            - $ref: ../parameters/_index.yaml#/Kind
          responses:
            "200":
              description: the pets
              headers:
                X-Rate-Limit:
                  $ref: ../headers/RateLimit.yaml
              content:
                application/json:
                  schema:
                    $ref: ../openapi.yaml#/components/schemas/PetList
                  examples:
                    two:
                      $ref: ../examples/pets.yaml
            default:
              $ref: ../responses/Error.yaml
        post:
          operationId: createPet
          tags: [pets]
          requestBody:
            $ref: ../requestBodies/NewPet.yaml
          responses:
            "201":
              $ref: ../responses/Pet.yaml
            default:
              $ref: ../responses/Error.yaml
    """,
    "paths/pet.yaml": """
        parameters:
          - $ref: ../parameters/path/petId.yaml
        get:
          operationId: getPet
          tags: [pets]
          responses:
            "200":
              $ref: ../responses/Pet.yaml
            "404":
              $ref: ../openapi.yaml#/components/responses/NotFound
        delete:
          operationId: deletePet
          tags: [pets]
          responses:
            "204":
              description: deleted
            "404":
              $ref: ../responses/NotFound.yaml
    """,
    "paths/owners/owners.yaml": """
        get:
          operationId: listOwners
          tags: [owners]
          parameters:
            - $ref: ../../parameters/limit.yaml
          responses:
            "200":
              $ref: ../../responses/_index.yaml#/Owners
    """,
    "paths/owners/owner.yaml": """
        parameters:
          - $ref: ./params.yaml#/ownerId
        get:
          operationId: getOwner
          tags: [owners]
          responses:
            "200":
              description: one owner
              content:
                application/json:
                  schema:
                    $ref: ../../schemas/owners/Owner.yaml
            "404":
              $ref: ../../responses/NotFound.yaml
        put:
          operationId: replaceOwner
          tags: [owners]
          requestBody:
            $ref: ../../requestBodies/Owner.yaml
          responses:
            "200":
              description: the owner as stored
              content:
                application/json:
                  schema:
                    $ref: ../../schemas/owners/Owner.yaml
    """,
    "paths/owners/params.yaml": """
        ownerId:
          name: ownerId
          in: path
          required: true
          schema:
            $ref: ../../schemas/shared/defs.yaml#/OwnerId
    """,
    "paths/stores.yaml": """
        get:
          operationId: getStore
          tags: [stores]
          parameters:
            - $ref: '#/x-parameters/storeId'
          responses:
            "200":
              description: one store
              content:
                application/json:
                  schema:
                    $ref: ../common.yaml#/components/schemas/Store
        x-parameters:
          storeId:
            name: storeId
            in: path
            required: true
            schema: {type: string}
        x-inventory:
          get:
            operationId: getInventory
            tags: [stores]
            parameters:
              - $ref: '#/x-parameters/storeId'
            responses:
              "200":
                description: stock per kind
                content:
                  application/json:
                    schema:
                      $ref: ../common.yaml#/components/schemas/Inventory
    """,
    # -- a second OpenAPI-shaped document: refs into its components
    "common.yaml": """
        components:
          schemas:
            Store:
              type: object
              required: [id, name]
              properties:
                id: {$ref: ./schemas/shared/defs.yaml#/Id}
                name: {type: string}
                address: {$ref: ./schemas/shared/Address.yaml}
                manager: {$ref: '#/components/schemas/Manager'}
                labels:
                  type: array
                  items: {$ref: ./schemas/legacy/Tag.yaml}
            Manager:
              $ref: ./schemas/owners/Owner.yaml
            Inventory:
              type: object
              additionalProperties:
                type: integer
    """,
    # -- parameters, headers, bodies, responses, examples in their own folders
    "parameters/limit.yaml": """
        name: limit
        in: query
        schema:
          type: integer
          minimum: 1
          default: 20
    """,
    "parameters/_index.yaml": """
        Offset:
          name: offset
          in: query
          schema: {type: integer}
        Kind:
          name: kind
          in: query
          schema:
            $ref: ../schemas/enums/Kind.yaml
    """,
    "parameters/path/petId.yaml": """
        name: petId
        in: path
        required: true
        schema:
          $ref: ../../schemas/shared/defs.yaml#/Id
    """,
    "headers/RateLimit.yaml": "description: calls left\nschema: {type: integer}\n",
    "requestBodies/NewPet.yaml": """
        required: true
        content:
          application/json:
            schema:
              $ref: ../schemas/NewPet.yaml
    """,
    "requestBodies/Owner.yaml": """
        required: true
        content:
          application/json:
            schema:
              $ref: ../common.yaml#/components/schemas/Manager
    """,
    "responses/Pet.yaml": """
        description: one pet
        content:
          application/json:
            schema:
              $ref: ../schemas/Pet.yaml
    """,
    "responses/Error.yaml": """
        description: an error
        content:
          application/json:
            schema:
              $ref: ../schemas/Error.yaml
    """,
    "responses/NotFound.yaml": "$ref: ./Error.yaml\n",
    "responses/_index.yaml": """
        Owners:
          description: the owners
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: ../schemas/owners/Owner.yaml
    """,
    "examples/pets.yaml": """
        summary: one pet
        value:
          items: [{id: p1, name: Rex, kind: dog}]
          total: 1
    """,
    # -- schemas: plain schema documents, a collection, a JSON file, a name clash
    "schemas/Error.yaml": """
        type: object
        required: [code, message]
        properties:
          code: {type: integer}
          message: {type: string}
    """,
    "schemas/PetList.yaml": """
        type: object
        required: [items]
        properties:
          items:
            type: array
            items:
              $ref: ./Pet.yaml
          total: {type: integer}
    """,
    "schemas/NewPet.yaml": """
        type: object
        required: [name, kind]
        properties:
          name: &name
            type: string
            minLength: 1
          nickname: *name
          kind:
            $ref: ./enums/Kind.yaml
          tags:
            type: array
            items:
              $ref: ./Tag.yaml
          price:
            $ref: ./shared/defs.yaml#/Price
    """,
    "schemas/Pet.yaml": """
        allOf:
          - $ref: ./NewPet.yaml
          - type: object
            required: [id]
            properties:
              id:
                $ref: ./shared/defs.yaml#/Id
              owner:
                $ref: ./owners/Owner.yaml
    """,
    "schemas/Tag.yaml": "type: object\nproperties:\n  label: {type: string}\n",
    "schemas/legacy/Tag.yaml": "type: object\nproperties:\n  code: {type: integer}\n",
    "schemas/enums/Kind.yaml": "type: string\nenum: [dog, cat, bird]\n",
    "schemas/owners/Owner.yaml": """
        type: object
        required: [id, name]
        properties:
          id:
            $ref: ../shared/defs.yaml#/OwnerId
          name: {type: string}
          address:
            $ref: ../shared/Address.yaml
          audit:
            $ref: ../shared/audit-trail.json
          pets:
            type: array
            items:
              $ref: ../Pet.yaml
    """,
    "schemas/shared/Address.yaml": """
        type: object
        properties:
          street: {type: string}
          country:
            $ref: ./defs.yaml#/Country
    """,
    "schemas/shared/audit-trail.json": """
        {"type": "object",
         "properties": {"createdBy": {"$ref": "defs.yaml#/OwnerId"},
                        "createdAt": {"type": "string", "format": "date-time"}}}
    """,
    "schemas/shared/defs.yaml": """
        Id: &id
          type: string
          pattern: "^[a-z0-9]+$"
        OwnerId:
          <<: *id
          description: the id of an owner
        Country:
          $ref: '#/CountryCode'
        CountryCode:
          type: string
          enum: [NL, FR, DE]
        Money:
          type: object
          required: [amount, currency]
          properties:
            amount: {type: number}
            currency: {type: string}
        Price:
          $ref: '#/Money'
    """,
}
PACKAGE = "petshop"


def write_files(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` below ``folder``; the path of the first one (the root spec)."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder / next(iter(files))


@dataclass
class Generated:
    root: Path
    api: Api
    package: ModuleType
    mypy: subprocess.CompletedProcess[str]

    def model(self, name: str) -> Model:
        return next(m for m in self.api.models if m.name == name)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = tmp_path_factory.mktemp("multifile")
    root = write_files(folder / "api", FILES)
    out = folder / "out"
    api = write_job(Job(spec=root, output=out, package_name=PACKAGE))
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "-p", PACKAGE],
        env={**os.environ, "MYPYPATH": str(out)},
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return Generated(root, api, import_generated(out, PACKAGE), typed)


# --------------------------------------------------------------------------- the split spec


def test_every_file_is_read(shop: Generated) -> None:
    spec = load_spec(shop.root)
    read = {path.relative_to(shop.root.parent).as_posix() for path in spec.files()}
    assert len(FILES) >= 30
    assert read == set(FILES)


def test_models_are_named_after_their_file_or_entry(shop: Generated) -> None:
    assert sorted(m.py_name for m in shop.api.models) == [
        "Address",  # schemas/shared/Address.yaml
        "Audit",  # components/schemas/Audit -> schemas/shared/audit-trail.json
        "Error",  # components/schemas/Error -> schemas/Error.yaml
        "Money",  # components/schemas/Money -> defs.yaml#/Money (and Price -> Money)
        "NewPet",
        "Owner",  # schemas/owners/Owner.yaml, also as common.yaml's Manager
        "Pet",
        "PetList",
        "Store",  # common.yaml#/components/schemas/Store
        "Tag",  # schemas/Tag.yaml
        "Tag2",  # schemas/legacy/Tag.yaml: the same name, numbered apart
    ]
    assert sorted(e.py_name for e in shop.api.enums) == ["CountryCode", "Kind"]


def test_a_schema_reached_through_several_paths_is_one_model(shop: Generated) -> None:
    # Pet: PetList.items (via the root's components), responses/Pet.yaml, Owner.pets (up)
    assert shop.model("PetList").fields[0].type == ListType(ModelRef("Pet"))
    assert shop.model("Owner").fields[-1].type == ListType(ModelRef("Pet"))
    # Owner: Pet.owner, common.yaml's Manager (a ref to a ref), the owners' responses
    by_name = {f.name: f.type for f in shop.model("Store").fields}
    assert by_name["manager"] == ModelRef("Owner")
    assert by_name["labels"] == ListType(ModelRef("Tag2"))
    assert {f.name: f.type for f in shop.model("Pet").fields}["owner"] == ModelRef("Owner")
    assert shop.model("Pet").bases == ["NewPet"]


def test_generated_package_is_typed(shop: Generated) -> None:
    assert shop.mypy.returncode == 0, shop.mypy.stdout + shop.mypy.stderr


def pet(pet_id: str, kind: str = "dog") -> dict[str, Any]:
    return {
        "id": pet_id,
        "name": "Rex",
        "kind": kind,
        "tags": [{"label": "good"}],
        "price": {"amount": 12.5, "currency": "EUR"},
        "owner": {
            "id": "o1",
            "name": "Ann",
            "address": {"street": "Dam 1", "country": "NL"},
            "audit": {"createdBy": "o1", "createdAt": "2024-02-01T10:00:00Z"},
            "pets": [],
        },
    }


def test_list_pets_decodes_models_from_five_files(shop: Generated, server: Server) -> None:
    server.on("GET", "/pets", Reply(200, {"items": [pet("p1")], "total": 1}))
    client = shop.package.Client(base_url=server.url, api_key="secret")
    models = shop.package.models
    page = client.pets.list_pets(limit=5, kind=models.Kind.DOG)
    request = server.requests[0]
    assert request.query == {"limit": ["5"], "kind": ["dog"]}
    assert request.headers["x-key"] == "secret"  # security scheme from security/key.yaml
    assert isinstance(page, models.PetList) and page.total == 1
    first = page.items[0]
    assert isinstance(first, models.Pet) and first.kind is models.Kind.DOG
    assert isinstance(first.price, models.Money) and first.price.amount == 12.5
    assert isinstance(first.tags[0], models.Tag) and first.tags[0].label == "good"
    owner = first.owner
    assert isinstance(owner, models.Owner)
    assert owner.address.country is models.CountryCode.NL
    assert owner.audit.created_at.year == 2024


def test_create_pet_sends_the_body_of_another_file(shop: Generated, server: Server) -> None:
    server.on("POST", "/pets", Reply(201, pet("p2", kind="cat")))
    models = shop.package.models
    client = shop.package.Client(base_url=server.url, api_key="secret")
    body = models.NewPet(name="Tom", kind=models.Kind.CAT, tags=[models.Tag(label="new")])
    created = client.pets.create_pet(body=body)
    assert server.requests[0].json() == {"name": "Tom", "kind": "cat", "tags": [{"label": "new"}]}
    assert isinstance(created, models.Pet) and created.id == "p2"


def test_get_store_from_a_second_document(shop: Generated, server: Server) -> None:
    store = {
        "id": "s1",
        "name": "Downtown",
        "address": {"street": "Main 2", "country": "FR"},
        "manager": {"id": "o2", "name": "Bob"},
        "labels": [{"code": 7}],
    }
    server.on("GET", "/stores/s1", Reply(200, store))
    server.on("GET", "/stores/s1/inventory", Reply(200, {"dog": 3}))
    models = shop.package.models
    client = shop.package.Client(base_url=server.url, api_key="secret")
    got = client.stores.get_store("s1")
    assert isinstance(got, models.Store)
    assert isinstance(got.manager, models.Owner) and got.manager.name == "Bob"
    assert got.address.country is models.CountryCode.FR
    assert isinstance(got.labels[0], models.Tag2) and got.labels[0].code == 7
    assert client.stores.get_inventory("s1") == {"dog": 3}


def test_not_found_decodes_the_error_of_a_response_ref_to_a_ref(
    shop: Generated, server: Server
) -> None:
    server.on("GET", "/pets/p9", Reply(404, {"code": 404, "message": "no such pet"}))
    client = shop.package.Client(base_url=server.url, api_key="secret", max_retries=0)
    with pytest.raises(shop.package.NotFoundError) as caught:
        client.pets.get_pet("p9")
    assert isinstance(caught.value.error, shop.package.models.Error)
    assert caught.value.error.message == "no such pet"


# --------------------------------------------------------------------------- broken specs

# A schema file with a string where a schema belongs (a description indented under
# properties), used by two paths, and a second file used by two more: the validator
# fetches each file the second time it meets it.
CRAWLED = {
    "openapi.yaml": """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /a: {$ref: ./paths/a.yaml}
          /b: {$ref: ./paths/b.yaml}
          /c: {$ref: ./paths/c.yaml}
          /d: {$ref: ./paths/d.yaml}
    """,
    "schemas/Pet.yaml": """
        type: object
        properties:
          name: {type: string}
          description: A pet.
    """,
    "schemas/Owner.yaml": "type: object\nproperties:\n  name: {type: string}\n",
}
for _path, _schema in {"a": "Pet", "b": "Pet", "c": "Owner", "d": "Owner"}.items():
    CRAWLED[f"paths/{_path}.yaml"] = f"""
        get:
          operationId: get{_path.upper()}
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema:
                    $ref: ../schemas/{_schema}.yaml
    """


def diagnostics(files: dict[str, str], folder: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) of loading and validating ``files``, formatted."""
    try:
        spec = load_spec(write_files(folder, files))
    except SpecError as exc:
        return [d.format() for d in exc.diagnostics], [d.format() for d in exc.warnings]
    return [], [d.format() for d in spec.warnings]


def test_a_string_schema_in_a_referenced_file_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    errors, warnings = diagnostics(CRAWLED, tmp_path)
    assert warnings == []  # no validator failure
    assert errors == [
        (
            "schemas/Pet.yaml:4: 'A pet.' is not valid under any of the given schemas: it is not"
            " of type 'object'"
        ),
        "schemas/Pet.yaml:4: 'A pet.' is not of type 'object'",
    ]


def test_a_validator_crash_is_a_warning_at_the_ref_it_was_following(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The validator's resolver as it was: JSON Schema 2020-12 crawling every fetched file.
    from referencing.jsonschema import DRAFT202012

    monkeypatch.setattr(loader, "_document_dialect", lambda version: DRAFT202012)
    monkeypatch.chdir(tmp_path)
    errors, warnings = diagnostics(CRAWLED, tmp_path)
    assert errors  # what the validator found before it failed still stands
    assert warnings == [
        (
            "paths/d.yaml:9: warning: validation stopped at $ref '../schemas/Owner.yaml': the "
            "validator failed (AttributeError: 'str' object has no attribute 'get'); its "
            "remaining checks were skipped"
        )
    ]


def test_the_crawl_of_later_dialects_skips_what_is_not_a_schema() -> None:
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    tolerant = loader._tolerant_dialect(DRAFT202012)
    contents = {
        "properties": {"a": "not a schema", "b": {"$id": "https://example.com/b"}},
        "allOf": ["nor this", {"$anchor": "here"}],
        "items": [1, 2],
    }
    registry = Registry().with_resource("file:///s.yaml", tolerant.create_resource(contents))
    crawled = registry.crawl()
    assert crawled.contents("https://example.com/b") == {"$id": "https://example.com/b"}
    assert crawled.anchor("file:///s.yaml", "here").value.name == "here"


def test_files_in_other_folders_are_checked_in_their_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    limit = FILES["parameters/limit.yaml"].replace("in: query", "in: bodyy")
    files = {
        **FILES,
        "parameters/limit.yaml": limit.replace("default: 20", "default: many"),
        "schemas/Tag.yaml": "type: object\nproperties:\n  label: {type: 5}\n",
    }
    errors, warnings = diagnostics(files, tmp_path / "api")
    assert errors == [
        (
            "api/parameters/limit.yaml:1: the object is not valid under any of the given schemas:"
            " at 'in': 'bodyy' is not one of ['path', 'query', 'header', 'cookie']"
        ),
        (
            "api/schemas/Tag.yaml:3: {'type': 5} is not valid under any of the given schemas: at"
            " 'type': 5 is not of type 'string', and at 'type': 5 is not one of ['array', 'boolean',"
            " 'integer', 'number', 'object', 'string']"
        ),
    ]
    # limit.yaml is used by two operations: its warning is given once
    assert warnings == ["api/parameters/limit.yaml:6: warning: 'many' is not of type 'integer'"]


def test_an_error_about_a_ref_object_is_placed_at_the_ref(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pet = "type: object\ndescription: {$ref: ../docs/pet.md}\n"
    files = {**CRAWLED, "schemas/Pet.yaml": pet, "docs/pet.md": "A pet.\n"}
    errors, _ = diagnostics(files, tmp_path)
    assert errors == ["schemas/Pet.yaml:2: {'$ref': '../docs/pet.md'} is not of type 'string'"]


def test_a_discriminator_mapping_in_a_file_is_relative_to_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = {
        "openapi.yaml": CRAWLED["openapi.yaml"].split("          /b:")[0],
        "paths/a.yaml": CRAWLED["paths/a.yaml"],
        "schemas/Pet.yaml": """
            oneOf: [{$ref: ./pets/Dog.yaml}]
            discriminator: {propertyName: kind, mapping: {dog: ./pets/Dog.yaml}}
            default: {kind: dog}
        """,
        "schemas/pets/Dog.yaml": "type: object\nproperties: {kind: {type: string}}\n",
    }
    assert diagnostics(files, tmp_path) == ([], [])


def specgen(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_a_bad_ref_in_a_nested_file_names_that_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = FILES["paths/owners/owner.yaml"].replace("owners/Owner.yaml", "owners/Ownr.yaml", 1)
    write_files(tmp_path / "api", {**FILES, "paths/owners/owner.yaml": owner})
    for cwd, root in [("api", "openapi.yaml"), ("elsewhere", "../api/openapi.yaml")]:
        (tmp_path / cwd).mkdir(exist_ok=True)
        monkeypatch.chdir(tmp_path / cwd)
        code, output = specgen(capsys, "validate", root)
        assert code == 1
        beside = root.removesuffix("openapi.yaml")  # as the root was named
        assert output == (
            f"{beside}paths/owners/owner.yaml:12: $ref '../../schemas/owners/Ownr.yaml' not "
            f"found: no file {beside}schemas/owners/Ownr.yaml\n"
        )


def test_a_ref_leaving_the_root_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Secret.yaml").write_text("type: object\n", encoding="utf-8")
    tag = "type: object\nproperties:\n  label: {$ref: ../../Secret.yaml}\n"
    write_files(tmp_path / "api", {**FILES, "schemas/Tag.yaml": tag})
    code, output = specgen(capsys, "validate", "api/openapi.yaml")
    assert code == 1
    assert output == (
        "api/schemas/Tag.yaml:3: $ref '../../Secret.yaml' refused: it leaves the spec's folder\n"
    )


def test_a_recursive_yaml_alias_in_a_referenced_file_is_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    owner = CRAWLED["schemas/Owner.yaml"] + "x-tree: &tree\n  children: [*tree]\n"
    files = {**CRAWLED, "schemas/Owner.yaml": owner, "schemas/Pet.yaml": "type: object\n"}
    assert diagnostics(files, tmp_path) == ([], [])


def test_a_discriminator_mapping_in_a_file_maps_refs_and_root_schema_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kind = "type: object\nrequired: [kind]\nproperties: {kind: {type: string}}\n"
    files = {
        "openapi.yaml": textwrap.dedent(CRAWLED["openapi.yaml"].split("          /b:")[0])
        + "components:\n  schemas:\n    Cat: {$ref: ./schemas/pets/Cat.yaml}\n",
        "paths/a.yaml": CRAWLED["paths/a.yaml"],
        "schemas/Pet.yaml": kind
        + "discriminator:\n  propertyName: kind\n  mapping: {dog: ./pets/Dog.yaml, cat: Cat}\n",
        "schemas/pets/Dog.yaml": "allOf: [{$ref: ../Pet.yaml}]\n",
        "schemas/pets/Cat.yaml": "allOf: [{$ref: ../Pet.yaml}]\n",
    }
    api = build_ir(write_files(tmp_path, files))
    pet = next(m for m in api.models if m.name == "Pet")
    assert pet.discriminator is not None
    assert pet.discriminator.mapping == {"dog": "Dog", "cat": "Cat"}


def test_a_discriminator_beside_a_oneof_maps_root_schema_names(tmp_path: Path) -> None:
    """The union form (``oneOf`` + ``discriminator``) reads its mapping by the same rule as
    the model form: ``cat: Cat`` names an entry of ``components/schemas``."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        textwrap.dedent("""
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /pets:
            get:
              operationId: getPet
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Pet'}
        components:
          schemas:
            Pet:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator: {propertyName: kind, mapping: {cat: Cat}}
            Cat: {type: object, properties: {kind: {type: string}}}
            Dog: {type: object, properties: {kind: {type: string}}}
        """).lstrip(),
        encoding="utf-8",
    )
    (op,) = build_ir(spec).operations()
    union = op.responses[0].type
    assert isinstance(union, UnionType) and union.discriminator is not None
    assert union.discriminator.mapping == {"cat": "Cat", "Dog": "Dog"}
