"""Write templates/reference.docx, the reference document of DOCX briefings.

    .venv/bin/python scripts/make-reference-docx.py [PATH]

The shipped file is this script's output, committed; making it again gives the same
bytes. To restyle DOCX briefings, open templates/reference.docx in Word, change its
styles (and page set-up, header, footer), save it: the next build remakes every DOCX
briefing, and nothing else (docs/templates.md, "The reference document").
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.render import make_reference_docx

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else ROOT / "templates" / "reference.docx"
    make_reference_docx(path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
