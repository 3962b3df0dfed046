"""The build checks every external edition it writes: the real outputs hold no internal
text, and a template that prints some fails the build of that edition, named."""

from __future__ import annotations

from pathlib import Path

from tests.builder.conftest import run
from tests.delivery.external_support import file_text, markers_in, sheet_text

#: One line a careless template might hold: the value of an internal key fact.
LEAK = '<p class="aside">Quokka industrial estate</p>\n'


def test_external_outputs_hold_no_internal_text(project: Path, write_brief) -> None:
    write_brief("hk", sheet_text())
    report = run(project, formats=("pdf", "html"))
    assert not report.failed, [r.diagnostics for r in report.failed]
    out = project / "output"
    for name in ("hk.external.pdf", "hk.external.html"):
        assert markers_in(file_text(name, (out / name).read_bytes())) == [], name
    # The control: the same extraction finds them in the internal edition.
    internal = markers_in(file_text("hk.internal.pdf", (out / "hk.internal.pdf").read_bytes()))
    assert {"zanzibar", "nightjar", "axolotl", "wombat", "capybara", "tapir"} <= set(internal)


def test_a_template_printing_an_internal_text_fails_the_external_edition(
    project: Path, write_brief
) -> None:
    write_brief("hk", sheet_text())
    assert not run(project, formats=("pdf", "html")).failed
    base = project / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("{% block body %}", LEAK + "{% block body %}"), encoding="utf-8")
    report = run(project, formats=("pdf", "html"))
    (failed,) = report.failed
    messages = [d.format() for d in failed.diagnostics]
    leaks = [m for m in messages if "internal text found in" in m]
    assert any(
        m.startswith("briefs/hk.yaml:")
        and ": key_facts[1].value: internal text found in output/hk.external.pdf, page 1: "
        '"Quokka industrial estate"'
        in m
        for m in leaks
    ), messages
    assert any(
        ": key_facts[1].value: internal text found in output/hk.external.html, "
        'html > body > p: "Quokka industrial estate"' in m
        for m in leaks
    ), messages
    out = project / "output"
    # Neither the leaking files nor the previous external edition stay published.
    assert not (out / "hk.external.pdf").exists()
    assert not (out / "hk.external.html").exists()
    assert [p.name for p in out.glob("*.tmp*")] == []
    # Nothing of the failed render was written: the internal files are the earlier ones.
    assert failed.outputs == ()
    assert LEAK.strip() not in (out / "hk.internal.html").read_text(encoding="utf-8")
    # And the briefing stays stale until the template is fixed: the next build fails too.
    (again,) = run(project, formats=("pdf", "html")).failed
    assert any("internal text found in" in d.message for d in again.diagnostics)
    base.write_text(text, encoding="utf-8")
    fixed = run(project, formats=("pdf", "html"))
    assert not fixed.failed
    assert (out / "hk.external.pdf").exists() and (out / "hk.external.html").exists()
