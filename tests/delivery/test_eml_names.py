"""Archived and outbox ``.eml`` names: one file per recipient, and the right file sent.

Addresses that differ only in a character a file name cannot keep (``a/b`` and ``a_b``,
``o'neil`` and ``o_neil``) once shared one file, so a retry sent one recipient's message
to the other and the ledger recorded a Message-ID never sent. These tests retry from the
archive, tamper with it, and replay editions archived under the old names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import yaml

from generator.config import parse_mailbox
from generator.delivery import ledger
from generator.delivery.editions import eml_name
from generator.delivery.sender import SendOptions, send
from generator.settings import default_settings
from generator.store import store_path
from tests.delivery.test_cli_send import brief

NOW = dt.datetime(2026, 1, 20, 9, 30, tzinfo=dt.UTC)
#: A retry's clock: a message composed again, instead of read from the archive, differs.
LATER = NOW + dt.timedelta(minutes=5)
#: Two pairs of addresses whose old file names were the same.
TWINS = ["a/b@example.org", "a_b@example.org", "o'neil@example.org", "o_neil@example.org"]
#: A try that does not deliver: a temporary refusal, or the connection dropped after DATA.
FAULTS = ["451 4.3.0 try later", "drop"]


def write_delivery(project: Path, recipients: list[str]) -> None:
    data = {"sender": "desk@example.org", "lists": {"team": {"recipients": recipients}}}
    (project / "delivery.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def run(project: Path, env: dict[str, str], at: dt.datetime = NOW, **options: bool):
    """Send ``hk`` to ``team`` in-process at ``at``: one try per message, no waiting."""
    return send(
        default_settings(project),
        ["hk"],
        ["team"],
        options=SendOptions(**options),
        clock=lambda: at,
        environ={**env, "BRIEF_SMTP_TRIES": "1"},
        sleep=lambda seconds: None,
    )


def rows(project: Path) -> dict[str, ledger.Row]:
    with ledger.connect(store_path(project / ".brief")) as db:
        return {r.recipient: r for r in ledger.history(db)}


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def messages_dir(project: Path) -> Path:
    [edition] = (project / "output" / "editions" / "hk").iterdir()
    return edition / "messages"


def archived(project: Path, address: str) -> Path:
    return messages_dir(project) / eml_name("team", address)


@pytest.fixture
def twins(project, write_brief):
    write_brief("hk")
    write_delivery(project, TWINS)
    return project


def assert_each_got_its_own_message_once(project: Path, server, addresses: list[str]) -> None:
    ledger_rows = rows(project)
    for address in addresses:
        [got] = server.handler.to(address)
        message = got.message
        assert [a.addr_spec for a in message["To"].addresses] == [address]
        assert message["Message-ID"] == ledger_rows[address].message_id
        assert ledger_rows[address].status == "sent"
    assert len({r.message_id for r in ledger_rows.values()}) == len(addresses)


def test_the_twins_are_distinct_valid_addresses():
    assert [parse_mailbox(a).address for a in TWINS] == TWINS
    assert len({parse_mailbox(a).key for a in TWINS}) == len(TWINS)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("team", "a/b@example.org"), ("team", "a_b@example.org")),
        (("team", "o'neil@example.org"), ("team", "o_neil@example.org")),
        (("team", "a+b@example.org"), ("team", "a=b@example.org")),
        # A list name may hold "--", the separator: the hash still tells them apart.
        (("team--x", "a@example.org"), ("team", "x--a@example.org")),
        # An address that looks like another one's name with its hash.
        (("team", "a_b@example.org"), ("team", f"{eml_name('team', 'a/b@example.org')[6:-4]}")),
    ],
)
def test_names_differ_when_the_readable_parts_are_the_same(one, other):
    assert eml_name(*one) != eml_name(*other)


def test_a_name_is_readable_stable_and_short():
    name = eml_name("team", "a/b@example.org")
    assert re.fullmatch(r"team--a_b@example\.org-[0-9a-f]{8}\.eml", name)
    assert eml_name("team", "a/b@example.org") == name
    long = eml_name("l" * 200, "x" * 64 + "@" + "d" * 180 + ".org")
    assert len(long.encode()) <= 200


@pytest.mark.parametrize("fault", FAULTS)
def test_a_retry_sends_each_twin_its_own_archived_message(twins, smtp_server, fault):
    # One try per message: a/b and o'neil fail, then their twins are sent and archived.
    smtp_server.handler.data_script = [fault, "accept", fault, "accept"]
    first = run(twins, smtp_server.env())
    assert first.count("sent") == 2 and not first.ok
    kept = {a: archived(twins, a).read_bytes() for a in TWINS}
    again = run(twins, smtp_server.env(), LATER)
    assert again.ok and again.count("sent") == 2 and again.count("already-sent") == 2
    assert_each_got_its_own_message_once(twins, smtp_server, TWINS)
    # One archived file per twin, and the retries are those bytes, Date header and all.
    assert len(set(kept.values())) == len(TWINS)
    for address in ("a/b@example.org", "o'neil@example.org"):
        assert smtp_server.handler.to(address)[0].data == kept[address]


def test_dry_run_writes_one_file_per_twin(twins, smtp_server):
    report = run(twins, {}, dry_run=True)
    assert report.ok and report.count("written") == len(TWINS)
    outbox = sorted((twins / "output" / "outbox" / "hk").glob("*.eml"))
    assert len(outbox) == len(TWINS)
    addressed = sorted(parse(p.read_bytes())["To"].addresses[0].addr_spec for p in outbox)
    assert addressed == sorted(TWINS)
    assert {r.path for r in report.results} == set(outbox)
    assert smtp_server.handler.rcpt_calls == 0


def _other_recipients_message(project: Path) -> None:
    shutil.copyfile(archived(project, "a_b@example.org"), archived(project, "a/b@example.org"))


def _another_message_id(project: Path) -> None:
    path = archived(project, "a/b@example.org")
    data = path.read_bytes()
    path.write_bytes(re.sub(rb"Message-ID: <[^>]*>", b"Message-ID: <forged@example.org>", data))


@pytest.mark.parametrize(
    ("fault", "status"), list(zip(FAULTS, ["failed", "ambiguous"], strict=True))
)
@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (_other_recipients_message, "is addressed to a_b@example.org, not a/b@example.org"),
        (_another_message_id, "has Message-ID <forged@example.org>"),
    ],
)
def test_an_archived_file_that_is_not_the_planned_message_is_refused(
    twins, smtp_server, tamper, says, fault, status
):
    smtp_server.handler.data_script = [fault]
    run(twins, smtp_server.env())
    tamper(twins)
    report = run(twins, smtp_server.env())
    [result] = [r for r in report.results if r.recipient == "a/b@example.org"]
    assert result.result == "failed" and says in result.reply
    assert "run brief send again" in result.reply
    assert smtp_server.handler.to("a/b@example.org") == []
    row = rows(twins)["a/b@example.org"]
    # An ambiguous row stays ambiguous: its first try may have reached the server.
    assert (row.status, row.attempts) == (status, 1) and says in row.reply
    # Moving the file aside is the cure: the message is composed again and sent.
    archived(twins, "a/b@example.org").unlink()
    assert run(twins, smtp_server.env()).ok
    assert_each_got_its_own_message_once(twins, smtp_server, TWINS)


def test_a_refused_archive_file_is_a_clear_line_not_a_traceback(twins, smtp_server):
    smtp_server.handler.data_script = ["451 4.3.0 try later"]
    run(twins, smtp_server.env())
    _other_recipients_message(twins)
    done = brief(twins, "send", "hk", "--to", "team", env=smtp_server.env())
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "failed       hk -> team: a/b@example.org (not sent: the archived message" in (
        done.stderr
    )
    assert smtp_server.handler.to("a/b@example.org") == []


def _legacy(path: Path) -> Path:
    """The name the same message had before names carried a hash."""
    return path.with_name(re.sub(r"-[0-9a-f]{8}\.eml$", ".eml", path.name))


@pytest.mark.parametrize("fault", FAULTS)
def test_an_old_named_file_that_is_the_message_is_sent_as_it_is(
    project, write_brief, smtp_server, fault
):
    write_brief("hk")
    write_delivery(project, ["ann@example.org", "bob@example.org"])
    smtp_server.handler.data_script = [fault]
    run(project, smtp_server.env())
    for path in messages_dir(project).iterdir():  # as the previous version named them
        path.rename(_legacy(path))
    assert (messages_dir(project) / "team--ann@example.org.eml").is_file()
    kept = (messages_dir(project) / "team--ann@example.org.eml").read_bytes()
    assert run(project, smtp_server.env(), LATER).ok
    [got] = smtp_server.handler.to("ann@example.org")
    assert got.data == kept
    assert archived(project, "ann@example.org").read_bytes() == kept
    manifest = json.loads((messages_dir(project).parent / "manifest.json").read_text())
    for entry in manifest["messages"]:  # each names a file that is there and is its message
        saved = parse((messages_dir(project).parent / entry["eml"]).read_bytes())
        assert saved["Message-ID"] == entry["message_id"]


def test_an_old_named_file_holding_the_twins_message_is_composed_again(twins, smtp_server):
    smtp_server.handler.data_script = ["drop"]
    run(twins, smtp_server.env())
    # The previous version kept one file for a/b and a_b: the last one written, a_b's.
    twin = archived(twins, "a_b@example.org").read_bytes()
    for path in messages_dir(twins).iterdir():
        path.unlink()
    (messages_dir(twins) / "team--a_b@example.org.eml").write_bytes(twin)
    assert run(twins, smtp_server.env(), LATER).ok
    assert_each_got_its_own_message_once(twins, smtp_server, TWINS)
    sent = smtp_server.handler.to("a/b@example.org")[0].data
    assert archived(twins, "a/b@example.org").read_bytes() == sent


def test_a_message_composed_again_under_another_sender_domain_records_its_message_id(
    project, write_brief, smtp_server
):
    write_brief("hk")
    write_delivery(project, ["ann@example.org"])
    smtp_server.handler.data_script = ["451 4.3.0 try later"]
    run(project, smtp_server.env())
    before = rows(project)["ann@example.org"].message_id
    archived(project, "ann@example.org").unlink()
    assert run(project, smtp_server.env(BRIEF_SMTP_FROM="desk@other.example")).ok
    [got] = smtp_server.handler.to("ann@example.org")
    after = rows(project)["ann@example.org"].message_id
    assert before.endswith("@example.org>") and after.endswith("@other.example>")
    assert got.message["Message-ID"] == after


def test_a_composed_message_for_someone_else_is_never_sent(twins, smtp_server, monkeypatch):
    from generator.delivery import dispatch

    real = dispatch.build_message

    def for_the_twin(item, *args):
        twin = dataclasses.replace(item, recipient=parse_mailbox("a_b@example.org"))
        return real(item if item.recipient.address != "a/b@example.org" else twin, *args)

    monkeypatch.setattr(dispatch, "build_message", for_the_twin)
    report = run(twins, smtp_server.env())
    [result] = [r for r in report.results if r.recipient == "a/b@example.org"]
    assert result.result == "failed"
    assert "the message composed for it is addressed to a_b@example.org" in result.reply
    assert smtp_server.handler.to("a/b@example.org") == []
    assert len(smtp_server.handler.to("a_b@example.org")) == 1
