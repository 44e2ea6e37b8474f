"""The docs site (.ci/mkdocs.yml: the pages of docs/ and an API reference from the docstrings) builds with
``mkdocs build --strict``: a broken page, a dead link between pages or a page left out of the nav fails
here, in the one test command CI runs."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".ci" / "mkdocs.yml"


def _needs_mkdocs() -> None:
    for module in ("mkdocs", "mkdocstrings", "mkdocstrings_handlers.python"):
        if importlib.util.find_spec(module.split(".")[0]) is None or importlib.util.find_spec(module) is None:
            pytest.skip(f"the docs site needs the docs extra (pip install -e '.[docs]'): no {module}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _needs_mkdocs()
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


def test_every_page_is_built_and_in_the_nav(site: Path) -> None:
    pages = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
    assert sorted(p.stem for p in site.glob("*.html") if p.stem != "404") == pages
    nav = CONFIG.read_text(encoding="utf-8")
    missing = [p for p in pages if f"{p}.md" not in nav]
    assert not missing, f"pages not in the nav of .ci/mkdocs.yml: {missing}"


def test_api_reference_comes_from_the_docstrings(site: Path) -> None:
    api = (site / "api.html").read_text(encoding="utf-8")
    from arcorpus import api as module
    from arcorpus.hf import BatchCleaner

    text = re.sub(r"<[^>]+>", " ", api)
    for obj in (module.clean_documents, BatchCleaner):
        assert obj.__name__ in api
        words = re.findall(r"\w+", (obj.__doc__ or "").strip().split("\n")[0])
        assert len(words) > 3 and all(w in text for w in words), (obj.__name__, words)
    assert "arcorpus.config.CleanConfig" in api and "arcorpus.datatrove" in api


def test_the_report_screenshot_is_on_its_page(site: Path) -> None:
    assert (site / "report.png").stat().st_size > 10_000
    assert 'src="report.png"' in (site / "report.html").read_text(encoding="utf-8")


def test_the_readme_test_command_is_what_ci_runs() -> None:
    """The README's second command and .ci/run install the same extras and run the same pytest command,
    so the docs build (a test) runs wherever the test suite does."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extras = re.compile(r"pip install (?:-q )?-e '\.\[([a-z,]+)\]'")
    readme_extras = [m for m in extras.findall(readme) if "test" in m]
    ci_extras = extras.findall(ci)
    assert readme_extras and set(readme_extras) == set(ci_extras), (readme_extras, ci_extras)
    assert "docs" in readme_extras[0].split(",")
    assert "python -m pytest -q" in readme and re.search(r"^python -m pytest -q", ci, re.M)
