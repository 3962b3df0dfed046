"""A change to brand.yaml rebuilds what shows the part changed, and nothing else.

The real ``brief build`` in a subprocess: ``-n`` says why each briefing would rebuild
(``brand.yaml (colophon) changed``), and a real build rewrites the index page only for
parts it shows (organisation, logo, contact, palette, fonts), never for the colophon,
citation or document number. A no-op build of a branded project reads no YAML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.builder.test_build_cli import SUMMARY, _imports
from tests.support.brand_samples import TEST_BRAND, write_brand


def built(project: Path, run_brief) -> str:
    result = run_brief("build")
    assert result.returncode == 0, result.stderr
    return result.stderr


def index_stat(project: Path) -> tuple[int, int]:
    stat = (project / "output" / "index.html").stat()
    return stat.st_ino, stat.st_mtime_ns


def would(run_brief, *args: str) -> list[str]:
    result = run_brief("build", "-n", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def edit_brand(project: Path, old: str, new: str) -> None:
    path = project / "brand.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_colophon_rebuilds_briefings_not_the_index(project: Path, write_brief, run_brief):
    write_brief("alpha")
    write_brief("beta")
    write_brand(project)
    built(project, run_brief)
    index = index_stat(project)
    edit_brand(project, "Not an official position", "Never an official position")
    assert would(run_brief)[:2] == [
        "would build briefs/alpha.yaml (html, pdf): brand.yaml (colophon) changed",
        "would build briefs/beta.yaml (html, pdf): brand.yaml (colophon) changed",
    ]
    log = built(project, run_brief)
    assert "(brand.yaml (colophon) changed)" in log
    assert index_stat(project) == index, "the index shows no colophon"
    assert "Never an official position" in (project / "output" / "alpha.html").read_text()
    again = run_brief("build")
    assert SUMMARY.search(again.stdout).groups()[:3] == ("0", "2", "0") and again.stderr == ""


def test_the_palette_and_contact_rebuild_the_index_too(project: Path, write_brief, run_brief):
    write_brief("alpha")
    write_brand(project)
    built(project, run_brief)
    for old, new, part in [
        ('primary: "#7a1f5c"', 'primary: "#225588"', "palette"),
        ("Policy desk ·", "Press desk ·", "contact"),
    ]:
        index = index_stat(project)
        edit_brand(project, old, new)
        assert would(run_brief)[0] == (
            f"would build briefs/alpha.yaml (html, pdf): brand.yaml ({part}) changed"
        )
        built(project, run_brief)
        assert index_stat(project) != index, part
    page = (project / "output" / "index.html").read_text(encoding="utf-8")
    assert "--navy: #225588;" in page and "Press desk" in page


def test_the_logo_file_is_an_input_of_its_own(project: Path, write_brief, run_brief):
    write_brief("alpha")
    write_brand(project)
    built(project, run_brief)
    logo = project / "brand" / "logo.svg"
    logo.write_text(logo.read_text().replace("#2a9d8f", "#114477"), encoding="utf-8")
    assert (
        would(run_brief)[0] == "would build briefs/alpha.yaml (html, pdf): brand/logo.svg changed"
    )
    index = index_stat(project)
    built(project, run_brief)
    assert index_stat(project) != index


def test_adding_and_removing_the_brand_file(project: Path, write_brief, run_brief):
    write_brief("alpha")
    built(project, run_brief)
    before = (project / "output" / "alpha.html").read_bytes()
    # Today's look written out in full changes nothing: no output is rebuilt.
    (project / "brand.yaml").write_text('palette:\n  primary: "#16365c"\n', encoding="utf-8")
    assert would(run_brief)[-1] == "0 to build, 1 up to date, 0 to remove"
    write_brand(project)
    lines = would(run_brief)
    assert lines[0].startswith("would build briefs/alpha.yaml (html, pdf): brand.yaml (")
    built(project, run_brief)
    (project / "brand.yaml").unlink()
    built(project, run_brief)
    assert (project / "output" / "alpha.html").read_bytes() == before


def test_a_broken_brand_file_stops_the_build_with_located_errors(
    project: Path, write_brief, run_brief
):
    write_brief("alpha")
    write_brand(project, TEST_BRAND.replace("heading: Noto Serif", "heading: Garamond"))
    for args in (["build"], ["build", "-n"]):
        result = run_brief(*args)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(
            r"^brand\.yaml:8:12: fonts\.heading: unknown font family 'Garamond'; "
            r"the shipped families are Noto Sans, Noto Serif$",
            result.stderr,
            re.M,
        ), result.stderr
    assert not (project / "output" / "alpha.html").exists()


def test_a_no_op_build_of_a_branded_project_reads_no_yaml(project: Path, write_brief):
    write_brief("alpha")
    write_brand(project)
    assert _imports(project, "build", "--formats", "html")[0] == 0
    status, noop = _imports(project, "build", "--formats", "html")
    assert status == 0
    assert not noop & {"pydantic", "yaml", "jinja2", "multiprocessing"}


def test_a_state_recorded_before_brand_yaml_existed_stands_for_todays_look(
    project: Path, write_brief, run_brief
):
    write_brief("alpha")
    built(project, run_brief)
    path = project / "output" / ".brief-state.json"
    state = json.loads(path.read_text(encoding="utf-8"))
    for pairs in state["depsets"].values():
        pairs[:] = [pair for pair in pairs if not pair[0].startswith("brand:")]
    path.write_text(json.dumps(state), encoding="utf-8")
    assert would(run_brief)[-1] == "0 to build, 1 up to date, 0 to remove"
    (project / "brand.yaml").write_text("organisation: Office of Transport Policy\n")
    assert would(run_brief)[0] == (
        "would build briefs/alpha.yaml (html, pdf): brand.yaml (organisation) changed"
    )
    index = index_stat(project)
    built(project, run_brief)
    assert index_stat(project) != index


def test_shards_built_in_another_brand_are_not_merged(project: Path, write_brief, run_brief):
    for brief_id in ("alpha", "beta", "gamma"):
        write_brief(brief_id)
    write_brand(project)
    for k in (1, 2):
        result = run_brief("build", "--formats", "html", "--shard", f"{k}/2")
        assert result.returncode == 0, result.stderr
    edit_brand(project, "Not an official position", "Never an official position")
    shards = ["output/shard-1-of-2", "output/shard-2-of-2"]
    result = run_brief("merge", *shards, "--out", "merged")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "was built with another brand.yaml (colophon) than this project's" in result.stderr
    edit_brand(project, "Never an official position", "Not an official position")
    merged = run_brief("merge", *shards, "--out", "merged")
    assert merged.returncode == 0, merged.stderr
    page = (project / "merged" / "index.html").read_text(encoding="utf-8")
    assert "Office of Transport Policy" in page and "--navy: #7a1f5c;" in page
