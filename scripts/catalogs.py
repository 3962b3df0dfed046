"""Keep the message catalogs in step with the templates and the code (docs/translating.md).

    python scripts/catalogs.py extract   # templates/locale/brief.pot from babel.cfg's sources
    python scripts/catalogs.py update    # extract, then merge the .pot into every .po
    python scripts/catalogs.py check     # exit 1 if the .pot is stale or a catalog incomplete

The files are written the same way every time (sorted, no source line numbers, no dates),
so a change to them in a diff is a change of words: a template edited elsewhere on a line
that carries no message leaves them alone.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "templates" / "locale"
POT = LOCALE / "brief.pot"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def extracted() -> Catalog:
    """The messages of babel.cfg's sources, as a template catalog."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="brief", fuzzy=False)
    for _file, _line, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def header(language: str | None, plural_forms: str) -> str:
    """The header entry, without the dates write_po would take from the clock."""
    lines = [
        "Project-Id-Version: brief",
        f"Language: {language or ''}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        f"Plural-Forms: {plural_forms}",
    ]
    body = "".join(f'"{line}\\n"\n' for line in lines)
    return f'msgid ""\nmsgstr ""\n{body}\n'


def render(catalog: Catalog, language: str | None) -> str:
    """``catalog`` as .po text: our header, then the messages sorted, unwrapped."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=True, sort_output=True, width=0, no_location=True)
    text = buffer.getvalue().decode("utf-8")
    return header(language, catalog.plural_forms) + text.lstrip("\n")


def catalogs() -> list[Path]:
    """Every translation under templates/locale, by name."""
    return sorted(LOCALE.glob("*.po"))


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def update() -> None:
    template = extracted()
    POT.write_text(render(template, None), encoding="utf-8")
    for path in catalogs():
        catalog = load(path)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.write_text(render(catalog, path.stem), encoding="utf-8")


def problems() -> list[str]:
    """What ``check`` reports: a stale .pot, a catalog with a missing or fuzzy entry, or
    one whose placeholders differ from the message id's."""
    found = []
    ids = {m.id for m in extracted() if m.id}
    committed = {m.id for m in load(POT) if m.id}
    if ids != committed:
        found.append("templates/locale/brief.pot is stale: run python scripts/catalogs.py update")
    for path in catalogs():
        for message in load(path):
            if not message.id:
                continue
            name = f"templates/locale/{path.name}: {message.id!r}"
            if message.id not in ids:
                found.append(f"{name}: not a message of the templates or code")
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append(f"{name}: untranslated or fuzzy")
            elif any(_slots(s) != _slots(_first(message.id)) for s in strings):
                found.append(f"{name}: placeholders differ from the message id's")
        missing = ids - {m.id for m in load(path)}
        found += [f"templates/locale/{path.name}: {m!r}: missing" for m in sorted(missing, key=str)]
    return found


def _first(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _slots(text: str) -> set[str]:
    import re

    return set(re.findall(r"%\((\w+)\)s", text))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        POT.write_text(render(extracted(), None), encoding="utf-8")
    elif command == "update":
        update()
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
