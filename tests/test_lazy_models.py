"""A generated package defines its models in private modules of ``pkg.models``, each loaded the
first time one of its names is used: importing the package costs the same for 10 models or
2,000.  The import cost is checked through what gets imported (``sys.modules``), never timed;
everything a single models module offered keeps working: ``from pkg.models import X``,
pickling, ``isinstance``, discriminator dispatch, cross-model decoding, type checkers."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.config import Job
from generator.pipeline import write_job
from tests.helpers import ROOT, import_generated, write_spec

# Owner and Pet refer to each other, Pet dispatches to Cat (a subclass): one module for the
# three.  Toy refers to none of them: its own module.  Color is used by two modules: its own
# module; Lonely's inline enum lives with Lonely.
SPEC = """\
swagger: "2.0"
info: {title: Zoo, version: "1"}
host: example.com
paths:
  /pets/{id}:
    get:
      operationId: GetPet
      parameters: [{name: id, in: path, required: true, type: string}]
      responses: {"200": {description: ok, schema: {$ref: "#/definitions/Pet"}}}
  /toys:
    get:
      operationId: Toys_List
      tags: [Toys]
      responses: {"200": {description: ok, schema: {$ref: "#/definitions/Toy"}}}
definitions:
  Owner:
    type: object
    properties:
      name: {type: string}
      pets: {type: array, items: {$ref: "#/definitions/Pet"}}
  Pet:
    type: object
    discriminator: kind
    required: [kind]
    properties:
      kind: {type: string}
      owner: {$ref: "#/definitions/Owner"}
      color: {$ref: "#/definitions/Color"}
  Cat:
    allOf:
      - {$ref: "#/definitions/Pet"}
      - {type: object, properties: {lives: {type: integer}}}
  Color: {type: string, enum: [red, blue]}
  Toy:
    type: object
    properties:
      color: {$ref: "#/definitions/Color"}
  Lonely:
    type: object
    properties:
      size: {type: string, enum: [small, large]}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zoo")
    write_job(Job(spec=write_spec(folder, SPEC), output=folder / "out", package_name="zoo"))
    return folder / "out"


def loaded_after(project: Path, code: str) -> list[str]:
    """The zoo.models submodules a fresh interpreter has imported after running ``code``."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        import json, sys
        print(json.dumps(sorted(m for m in sys.modules if m.startswith("zoo.models."))))
        """)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_models_are_split_by_what_refers_to_what(project: Path) -> None:
    modules = sorted(p.name for p in (project / "zoo" / "models").glob("*.py"))
    assert modules == ["__init__.py", "_color.py", "_lonely.py", "_owner.py", "_toy.py"]
    owner = (project / "zoo" / "models" / "_owner.py").read_text()
    assert "class Owner" in owner and "class Pet" in owner and "class Cat(Pet)" in owner
    assert "from ._color import Color" in owner
    lonely = (project / "zoo" / "models" / "_lonely.py").read_text()
    assert "class Lonely:" in lonely and "class LonelySize(" in lonely


def test_importing_the_package_and_its_models_loads_no_model(project: Path) -> None:
    assert loaded_after(project, "import zoo") == []
    assert loaded_after(project, "import zoo.models") == []
    assert loaded_after(project, "from zoo import Client; Client()") == []
    assert loaded_after(project, "import zoo; zoo.Client().toys") == []


def test_a_model_loads_its_module_and_those_it_refers_to(project: Path) -> None:
    assert loaded_after(project, "from zoo.models import Toy") == [
        "zoo.models._color",
        "zoo.models._toy",
    ]
    assert loaded_after(project, "import zoo.models; zoo.models.LonelySize") == [
        "zoo.models._lonely"
    ]
    assert loaded_after(project, "from zoo.models import Cat") == [
        "zoo.models._color",
        "zoo.models._owner",
    ]


def test_every_name_imports_and_unknown_names_fail(project: Path) -> None:
    zoo = import_generated(project, "zoo")
    models = sys.modules["zoo.models"]
    names = ["Cat", "Color", "Lonely", "LonelySize", "Owner", "Pet", "Toy"]
    assert models.__all__ == names
    assert dir(models) == names
    for name in names:
        assert getattr(models, name).__name__ == name
    assert zoo.models is models
    with pytest.raises(AttributeError, match="has no attribute 'Dog'"):
        models.Dog  # noqa: B018
    with pytest.raises(ImportError):
        from zoo.models import Dog  # type: ignore[import-not-found]  # noqa: F401
    with pytest.raises(AttributeError):
        models._MODULES_  # noqa: B018


def test_decoding_dispatch_isinstance_and_pickle(project: Path) -> None:
    import_generated(project, "zoo")
    from zoo.models import Cat, Color, Owner, Pet  # type: ignore[import-not-found]

    owner = Owner.from_dict(
        {"name": "Ann", "pets": [{"kind": "Cat", "lives": 9, "color": "red"}, {"kind": "Pet"}]}
    )
    cat, pet = owner.pets
    assert isinstance(cat, Cat) and isinstance(cat, Pet) and cat.lives == 9
    assert cat.color is Color.RED
    assert type(pet) is Pet
    back = pickle.loads(pickle.dumps(owner))
    assert back == owner and type(back.pets[0]) is Cat
    assert Pet.from_dict({"kind": "Cat", "owner": {"name": "Bo"}}).to_dict() == {
        "kind": "Cat",
        "owner": {"name": "Bo"},
    }


def test_the_client_loads_a_model_when_a_response_needs_it(project: Path) -> None:
    script = """
        import sys
        from tests.server import Reply, Server
        import zoo
        server = Server()
        try:
            server.on("GET", "/pets/7", Reply(200, {"kind": "Cat", "lives": 3}))
            client = zoo.Client(base_url=server.url)
            assert not [m for m in sys.modules if m.startswith("zoo.models.")]
            pet = client.get_pet("7")
            assert type(pet).__name__ == "Cat" and pet.lives == 3, pet
            assert "zoo.models._owner" in sys.modules
        finally:
            server.stop()
    """
    env_path = f"{project}:{Path(__file__).resolve().parent.parent}"
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=project,
        check=True,
        env={"PYTHONPATH": env_path, "PATH": ""},
    )


def test_type_checkers_see_every_model_and_no_unknown_one(project: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent("""
            from zoo.models import Cat, Color, Owner
            import zoo.models

            def lives(owner: Owner) -> int:
                first = owner.pets[0] if owner.pets else None
                return first.lives or 0 if isinstance(first, Cat) else 0

            color: Color = zoo.models.Color.RED
            toy: zoo.models.Toy = zoo.models.Toy.from_dict({})
            """))
    bad = tmp_path / "bad.py"
    bad.write_text("from zoo.models import Dog\nimport zoo.models\nzoo.models.Cow\n")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user), str(bad)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"MYPYPATH": str(project), "PATH": ""},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[0] for line in errors] == [str(bad), str(bad)], result.stdout
    assert '"Dog"' in errors[0] and '"Cow"' in errors[1]


@pytest.mark.parametrize("package", ["azure_openai_authoring", "azure_openai_inference"])
def test_a_fresh_interpreter_reaches_models_and_groups_through_the_package(package: str) -> None:
    """``pkg.models`` and every operation group, asked for before anything else imported
    the models (a package without operations on the client itself imports none)."""
    folder = ROOT / "generated" / package.replace("_", "-")
    script = f"""
        import {package} as pkg
        assert pkg.models.__name__ == "{package}.models"
        client = pkg.Client(endpoint="http://127.0.0.1:9", api_key="k")
        for name in dir(type(client)):
            if not name.startswith("_"):
                getattr(client, name)
    """
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=folder, check=True, timeout=60
    )
