"""Generated code is black's layout without black: ``black(text) == text`` for every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_jobs
from generator.python.format import black_format, format_python
from generator.python.layout import fit
from generator.writer import read_tree
from tests.helpers import CORPUS, ROOT


@pytest.mark.parametrize("job", load_jobs(ROOT / "pyproject.toml"), ids=lambda j: j.package_name)
def test_generated_files_are_black_fixpoints(job) -> None:  # type: ignore[no-untyped-def]
    for path, text in read_tree(job.output).items():
        if path.endswith(".py"):
            assert black_format(path, text) == text, f"black would reformat {path}"


_CALL = ("def f(data):\n    return g(\n", "    )\n")  # a line inside an exploded call
_CLASS = ("class C:\n", "")
_METHOD = ("class C:\n    def f(self):\n        data = {}\n", "")
_SIGNATURE = ("class C:\n    def create(\n        self,\n", "")


@pytest.mark.parametrize(
    "context, line",
    [
        (("", ""), "from .._runtime import " + ", ".join(f"Name{i}" for i in range(12))),
        (
            _CLASS,
            "    _KEYS: ClassVar[frozenset[str]] = frozenset({"
            + ", ".join(f'"k{i}"' for i in range(20))
            + "})",
        ),
        (
            _CLASS,
            "    _KEYS: ClassVar[frozenset[str]] = frozenset({"
            + ", ".join(f'"k{i}"' for i in range(9))
            + "})",
        ),
        (
            _CALL,
            '        value=SomeModel.from_dict(data["value"]) if data.get("value") is not None else None,',
        ),
        (
            _CALL,
            '        value=SomeLongerModelName.from_dict(data["some_value"]) if data.get("some_value") is not None else None,',
        ),
        (
            _CALL,
            '        result=_serde.decode_union(data["value"], ((dict,), First.from_dict), ((dict,), Second.from_dict)),',
        ),
        (
            _CALL,
            '        data={"prompt": prompt, "response_format": response_format, "temperature": temperature, "language": language},',
        ),
        (
            _CALL,
            '        "/parties/{partyId}/models/{modelId}/resource-types/{resourceType}/resources/{id}",',
        ),
        (
            _METHOD,
            '        data["custom_blocklists"] = [v.to_dict(read_only=read_only) for v in self.blocklists]',
        ),
        (
            _METHOD,
            '        data["custom_blocklists"] = [v.to_dict(read_only=read_only) for v in self.custom_blocklists_longer]',
        ),
        (
            _SIGNATURE,
            "    ) -> MicrosoftAzureCompletionsCreateResponse | Stream[MicrosoftAzureCompletionsCreateResponse]: ...",
        ),
    ],
)
def test_layout_matches_black(context: tuple[str, str], line: str) -> None:
    laid = fit(line)
    assert laid is not None and all(len(s) <= 100 for s in laid)
    text = context[0] + "\n".join(laid) + "\n" + context[1]
    assert black_format("snippet.py", text) == text


def test_over_long_lines_of_unknown_shape_go_to_black() -> None:
    line = "    x: " + " | ".join(f"VeryLongTypeName{i}" for i in range(8)) + " | None = None"
    source = "class C:\n" + line + "\n"
    assert fit(line) is None
    laid = format_python("m.py", source)
    assert black_format("m.py", laid) == laid
    assert all(len(s) <= 100 for s in laid.split("\n"))


@pytest.mark.corpus
def test_corpus_output_is_black_formatted(tmp_path: Path) -> None:
    """Every azure-sample spec that generates: its files are black fixpoints."""
    from generator.config import Job
    from generator.errors import SpecError
    from generator.pipeline import generate_files

    specs = sorted((CORPUS / "azure-sample").glob("*.yml"))
    if not specs:
        pytest.skip("corpus not available")
    failures = []
    for spec in specs:
        try:
            _, files = generate_files(Job(spec=spec, output=tmp_path / "o", package_name="pkg"))
        except SpecError:
            continue  # reported by the corpus test itself
        for path, text in files.items():
            if (
                path.endswith(".py")
                and "/_runtime/" not in path
                and black_format(path, text) != text
            ):
                failures.append(f"{spec.name}: {path}")
    assert not failures, "\n".join(failures)
