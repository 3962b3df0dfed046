"""The ``brief state`` commands: check, back up and restore the project's state.

Registered on the ``brief`` group by :mod:`generator.cli.app`; thin adapters over the
check, backup and restore of :mod:`generator.store` (docs/operations.md). What they find
wrong is a :class:`~generator.store.StateError`, which ``main`` prints as one ``Error:``
line with exit status 1, never a traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator.settings import Settings, format_size

FOLDER = click.Path(file_okay=False, path_type=Path)
#: A path that must exist: a mistyped one is a usage mistake (exit status 2).
EXISTING = click.Path(exists=True, path_type=Path)


@click.group()
def state() -> None:
    """Check, back up and restore the state store (.brief/state.sqlite) and the archives."""


@state.command()
@click.argument("path", required=False, type=EXISTING)
@click.pass_obj
def check(settings: Settings, path: Path | None) -> None:
    """Check the state store for damage (exit status 1 when damaged).

    PATH checks a backup folder instead (its manifest, every file's checksum and its
    copy of the store), or another store file.
    """
    from generator.store import StateError, check_store, store_path

    if path is not None and path.is_dir():
        _check_backup(path)
        return
    target = path or store_path(settings.state_dir)
    shown = str(path) if path else settings.display(target)
    if not target.exists():
        click.echo(f"{shown}: no state store yet (nothing has been sent or scheduled)")
        return
    found = check_store(target, shown)
    if not found.ok:
        advice = _RESTORE if path is None else ""
        raise StateError(f"the state store {shown} is damaged: {'; '.join(found.problems)}{advice}")
    click.echo(f"{shown}: ok: integrity check passed, no broken references; {_rows(found.rows)}")


def _check_backup(folder: Path) -> None:
    from generator.store import StateError, verify_backup

    manifest, problems = verify_backup(folder)
    if problems:
        raise StateError(f"the backup {folder} is damaged: " + "; ".join(problems))
    click.echo(
        f"{folder}: a complete backup of {manifest['created']}: {len(manifest['files'])}"
        f" file(s) as backed up; {_rows(manifest.get('rows') or {})}"
    )


#: What to do about a damaged project store (docs/operations.md, "Restoring").
_RESTORE = (
    ". Stop the scheduler, move .brief aside and restore the last backup"
    " (brief state restore BACKUP); see docs/operations.md"
)


def _rows(rows: dict[str, int]) -> str:
    if not rows:
        return "no tables"
    return ", ".join(f"{name} {count}" for name, count in rows.items()) + " row(s)"


@state.command()
@click.argument("dest", type=FOLDER)
@click.pass_obj
def backup(settings: Settings, dest: Path) -> None:
    """Back up the state store, output/editions and output/archive into DEST.

    DEST is a new or empty folder. The store is copied with SQLite's online backup, so
    runs may go on meanwhile; the manifest brief-backup.json is written last.
    """
    from generator.store import BadDestination
    from generator.store import backup as make_backup

    began = time.monotonic()
    try:
        made = make_backup(settings, dest)
    except BadDestination as exc:
        raise click.BadParameter(str(exc), param_hint="DEST") from None
    took = time.monotonic() - began
    click.echo(
        f"backed up to {dest}: {made.files} file(s), {format_size(made.size)} in {took:.1f} s;"
        f" {_rows(made.rows)}"
    )


@state.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_obj
def restore(settings: Settings, src: Path) -> None:
    """Restore the backup SRC into this project (its .brief/state.sqlite must be gone).

    Files of output/editions and output/archive are copied back where missing; one that
    exists with other content is kept, and named.
    """
    from generator import locks
    from generator.store import restore as put_back

    with (
        locks.hold(locks.send_lock(settings), purpose="brief state restore", what="sending"),
        locks.hold(
            locks.output_lock(settings), purpose="brief state restore", what="the output folder"
        ),
    ):
        done = put_back(settings, src)
    store = "the state store and " if done.store else ""
    click.echo(f"restored {store}{done.copied} file(s) from {src}; {done.present} already in place")
    for name in done.differing:
        click.echo(f"kept {name}: it differs from the backup's copy", err=True)
