"""Every reader of a fact sheet refuses one that leads out of the project, and cheaply.

``read_sheet`` and ``load`` (used by build jobs, ``brief check``, ``brief send``'s
editions and schedules' tag selection) refuse a link out of the project before reading
it, with or without an explicit ``root``; ``outside_sheets``, which a build with nothing
to do calls every time, resolves only the entries that are links.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.config import Selection
from generator.errors import FactSheetError
from generator.factsheet import files, listing
from generator.factsheet.listing import outside_sheets, scan_sheets
from generator.factsheet.loader import load, read_sheet
from generator.schedule import resolve
from generator.settings import default_settings
from tests.conftest import minimal_sheet

CANARY = "canary-51d0"
SHOWN = "briefs/x.yaml"
REFUSED = (
    "briefs/x.yaml: the file is a link to a file outside the project;"
    " copy the file into briefs/ instead"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder with an empty briefs/, and a secret file beside it."""
    (tmp_path / "project" / "briefs").mkdir(parents=True)
    (tmp_path / "secret.yaml").write_text(f"title: {CANARY}\n", encoding="utf-8")
    return tmp_path / "project"


def _refusal(call) -> list[str]:
    with pytest.raises(FactSheetError) as caught:
        call()
    assert caught.value.data is None  # nothing was parsed
    return [d.format() for d in caught.value.diagnostics]


def test_read_sheet_refuses_a_link_out_of_the_project_by_default(root: Path):
    link = root / "briefs" / "x.yaml"
    link.symlink_to(root.parent / "secret.yaml")
    assert _refusal(lambda: read_sheet(link, SHOWN, 1000)) == [REFUSED]
    assert _refusal(lambda: load(link, SHOWN)) == [REFUSED]
    with pytest.raises(FactSheetError) as caught:
        read_sheet(link, SHOWN, 1000, root)
    assert caught.value.diagnostics[0].code == files.OUTSIDE_CODE


def test_the_root_given_is_the_one_enforced(root: Path):
    nested = root / "deep" / "briefs"
    nested.mkdir(parents=True)
    (root / "shared.yaml").write_text("title: shared\n", encoding="utf-8")
    link = nested / "x.yaml"
    link.symlink_to(root / "shared.yaml")
    assert read_sheet(link, SHOWN, 1000, root) == b"title: shared\n"
    # By default the project is the folder above briefs/: root/deep, which shared.yaml
    # is not in.
    assert _refusal(lambda: read_sheet(link, SHOWN, 1000)) == [REFUSED]


def test_a_link_inside_the_project_and_a_plain_file_are_read(root: Path):
    (root / "briefs" / "a.yaml").write_text("title: a\n", encoding="utf-8")
    (root / "briefs" / "b.yaml").symlink_to("a.yaml")
    for name in ("a.yaml", "b.yaml"):
        assert read_sheet(root / "briefs" / name, SHOWN, 1000, root) == b"title: a\n"


def test_a_broken_link_and_a_loop_are_unreadable_files(root: Path):
    (root / "briefs" / "x.yaml").symlink_to("nowhere.yaml")
    (root / "briefs" / "loop.yaml").symlink_to("loop.yaml")
    (root / "briefs" / "gone.yaml").symlink_to(root.parent / "gone.yaml")
    said = _refusal(lambda: read_sheet(root / "briefs" / "x.yaml", SHOWN, 1000, root))
    assert said == ["briefs/x.yaml: cannot read the file: No such file or directory"]
    looped = _refusal(lambda: read_sheet(root / "briefs" / "loop.yaml", SHOWN, 1000, root))
    assert looped[0].startswith("briefs/x.yaml: cannot read the file: ")
    # A missing file outside is refused like any other: nothing tells whether it exists.
    gone = _refusal(lambda: read_sheet(root / "briefs" / "gone.yaml", SHOWN, 1000, root))
    assert gone == [REFUSED]


def test_outside_sheets_resolves_only_the_links(root: Path, monkeypatch):
    briefs = root / "briefs"
    for number in range(50):
        (briefs / f"s{number}.yaml").write_text("title: s\n", encoding="utf-8")
    (briefs / "inside.yaml").symlink_to("s1.yaml")
    (briefs / "leak.yaml").symlink_to(root.parent / "secret.yaml")
    resolved: list[Path] = []
    real_confine = files.confine

    def counting(path: Path, project: Path):
        resolved.append(path)
        return real_confine(path, project)

    monkeypatch.setattr(listing, "confine", counting)
    folder = scan_sheets(briefs)
    assert folder is not None and folder.links == {"inside", "leak"}
    found = outside_sheets(folder, root)
    assert found == {"leak": "is a link to a file outside the project"}
    assert sorted(p.name for p in resolved) == ["briefs", "inside.yaml", "leak.yaml"]


def test_a_schedule_selecting_by_tag_does_not_read_a_link_out(root: Path):
    sheet = yaml.safe_dump(minimal_sheet(tags=["ev"]), sort_keys=False)
    (root / "briefs" / "ok.yaml").write_text(sheet, encoding="utf-8")
    secret = yaml.safe_dump(minimal_sheet(tags=["ev"], title=CANARY), sort_keys=False)
    (root.parent / "secret.yaml").write_text(secret, encoding="utf-8")
    (root / "briefs" / "leak.yaml").symlink_to(root.parent / "secret.yaml")
    resolved = resolve(default_settings(root), Selection(tags=["ev"]))
    assert resolved.ids == ("ok",)
    assert len(resolved.problems) == 1
    assert "briefs/leak.yaml" in resolved.problems[0]
    assert "outside the project" in resolved.problems[0]
    assert CANARY not in resolved.problems[0]
