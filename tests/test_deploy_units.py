"""The files in deploy/: systemd units checked by systemd itself, the cron wrapper run.

``systemd-analyze verify`` loads a unit as systemd would and fails when its ExecStart=
binary does not exist, so each unit is copied into a temporary folder with the path of
``brief`` (``/srv/brief/.venv/bin/brief``, ``%h/brief/.venv/bin/brief``) replaced by this
test run's interpreter; everything else is checked as shipped. verify reports unknown
keys and bad values as warnings and still exits 0, so its output must be empty too.
``systemd-analyze security --offline=true`` rates the sandbox of each unit file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.config import ENV_VARS
from tests.delivery.conftest import Handler, SmtpServer, start_server
from tests.support.cli import REPO, brief_env

DEPLOY = REPO / "deploy"
SYSTEM = sorted((DEPLOY / "systemd").glob("brief-*"))
USER = sorted((DEPLOY / "systemd/user").glob("brief-*"))
SERVICES = [unit for unit in SYSTEM if unit.suffix == ".service"]
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is not installed (scripts/setup-system.sh test)"
)
#: The highest exposure `systemd-analyze security` may give a system service.
MAX_EXPOSURE = 5.0
#: The user units' sandbox is what works without privileges; this keeps it from eroding.
MAX_USER_EXPOSURE = 7.0


def analyze(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run(
        [ANALYZE, *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def runnable_copy(unit: Path, folder: Path) -> Path:
    """``unit`` in ``folder`` with the path of ``brief`` replaced by an existing binary."""
    text = unit.read_text("utf-8")
    rewritten = re.sub(r"^ExecStart=\S+/brief\b", f"ExecStart={sys.executable}", text, flags=re.M)
    if unit.suffix == ".service":
        assert rewritten != text, f"{unit.name} has no ExecStart= running brief"
    folder.mkdir(exist_ok=True)
    copy = folder / unit.name
    copy.write_text(rewritten, "utf-8")
    return copy


def user_env(tmp_path: Path) -> dict[str, str]:
    """What ``systemd-analyze --user`` needs to start without a user manager."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime)}


def exposure(output: str, name: str) -> float:
    found = re.search(rf"Overall exposure level for {re.escape(name)}: ([0-9.]+)", output)
    assert found, output[-2000:]
    return float(found.group(1))


def test_the_shipped_units_are_the_expected_ones():
    assert [u.name for u in SYSTEM] == [
        "brief-schedule.service",
        "brief-schedule.timer",
        "brief-serve.service",
    ]
    assert [u.name for u in USER] == [u.name for u in SYSTEM]


@needs_analyze
def test_systemd_verifies_the_system_units_without_a_warning(tmp_path):
    copies = [str(runnable_copy(unit, tmp_path / "system")) for unit in SYSTEM]
    checked = analyze("verify", *copies)
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


@needs_analyze
def test_systemd_verifies_the_user_units_without_a_warning(tmp_path):
    copies = [str(runnable_copy(unit, tmp_path / "user")) for unit in USER]
    checked = analyze("--user", "verify", *copies, env=user_env(tmp_path))
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


@needs_analyze
@pytest.mark.parametrize("unit", SERVICES, ids=[u.name for u in SERVICES])
def test_the_system_services_exposure_is_below_5(unit, tmp_path):
    rated = analyze("security", "--offline=true", str(runnable_copy(unit, tmp_path)))
    assert rated.returncode == 0, rated.stderr
    assert exposure(rated.stdout, unit.name) < MAX_EXPOSURE


@needs_analyze
@pytest.mark.parametrize("unit", [u for u in USER if u.suffix == ".service"], ids=lambda u: u.name)
def test_the_user_services_keep_their_system_call_sandbox(unit, tmp_path):
    copy = runnable_copy(unit, tmp_path)
    rated = analyze("--user", "security", "--offline=true", str(copy), env=user_env(tmp_path))
    assert rated.returncode == 0, rated.stderr
    assert exposure(rated.stdout, unit.name) < MAX_USER_EXPOSURE


def test_the_units_read_the_smtp_settings_from_an_environment_file():
    for unit in [*SERVICES, *(u for u in USER if u.suffix == ".service")]:
        text = unit.read_text("utf-8")
        assert re.search(r"^EnvironmentFile=\S+/smtp\.env$", text, re.M), unit.name
        assert "BRIEF_SMTP_" not in text.split("[Service]")[1], f"{unit.name}: a secret inline"


def test_the_crontab_runs_the_shipped_wrapper_quietly():
    jobs = [
        line
        for line in (DEPLOY / "cron/brief.crontab").read_text("utf-8").splitlines()
        if line and not line.startswith("#") and not re.match(r"^[A-Z_]+=", line)
    ]
    assert jobs == ["*/5 * * * * /srv/brief/deploy/cron/brief-run-due --quiet"]
    wrapper = DEPLOY / "cron/brief-run-due"
    assert wrapper.stat().st_mode & 0o111 == 0o111


def test_the_environment_file_example_names_every_smtp_setting():
    lines = (DEPLOY / "smtp.env.example").read_text("utf-8").splitlines()
    keys = [m.group(1) for line in lines if (m := re.match(r"^#?(BRIEF_SMTP_[A-Z]+)=", line))]
    assert keys == list(ENV_VARS)


def mdwe_available() -> bool:
    """Whether this kernel has PR_SET_MDWE (Linux 6.3), checked in a throwaway process."""
    probe = subprocess.run(
        [sys.executable, "-c", MDWE_PRELUDE + "print('ok')"], capture_output=True, text=True
    )
    return probe.stdout.strip() == "ok"


#: PR_SET_MDWE with PR_MDWE_REFUSE_EXEC_GAIN: the kernel's own form of systemd's
#: MemoryDenyWriteExecute= (no mapping both writable and executable, none made
#: executable later), inherited by every child process. Then a W+X mapping must fail.
MDWE_PRELUDE = """
import ctypes, mmap, sys
if ctypes.CDLL(None, use_errno=True).prctl(65, 1, 0, 0, 0) != 0:
    sys.exit('no PR_SET_MDWE')
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    sys.exit('a W+X mapping was allowed')
except OSError:
    pass
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not mdwe_available(),
    reason="needs Linux 6.3 or later (prctl PR_SET_MDWE) to deny write-and-execute memory",
)
def test_a_pdf_builds_with_write_and_execute_memory_denied(project, write_brief):
    write_brief("alpha", title="Alpha plant")
    code = MDWE_PRELUDE + "from generator.cli.app import main\nmain()\n"
    built = subprocess.run(
        [sys.executable, "-c", code, "build", "--force"],
        cwd=project,
        env=brief_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert (project / "output/alpha.pdf").read_bytes().startswith(b"%PDF-")


def test_the_cron_wrapper_reads_the_environment_file_and_sends(project, write_brief, tmp_path):
    handler = Handler()
    server = SmtpServer(start_server(handler), handler)
    try:
        write_brief("alpha", title="Alpha plant")
        delivery = {
            "sender": "Desk <desk@example.org>",
            "lists": {"desk": {"recipients": ["ana@example.org"]}},
            "schedules": [
                {"name": "daily", "cron": "0 7 * * *", "select": {}, "send_to": ["desk"]}
            ],
        }
        (project / "delivery.yaml").write_text(yaml.safe_dump(delivery), "utf-8")
        (project / ".venv").symlink_to(Path(sys.prefix))
        settings = "".join(f"{key}='{value}'\n" for key, value in server.env().items())
        env_file = tmp_path / "smtp.env"
        env_file.write_text("# as deploy/smtp.env.example\n" + settings, "utf-8")
        env_file.chmod(0o600)
        wrapper = str(DEPLOY / "cron/brief-run-due")
        cron_env = {"BRIEF_PROJECT": str(project), "BRIEF_ENV_FILE": str(env_file)}
        bare = {k: v for k, v in brief_env(cron_env).items() if not k.startswith("BRIEF_SMTP")}
        first = subprocess.run(
            [wrapper, "--now", "2026-12-01T06:00Z"], env=bare, capture_output=True, text=True
        )
        assert (first.returncode, first.stdout.strip()) == (0, "nothing due"), first.stderr
        ran = subprocess.run(
            [wrapper, "--now", "2026-12-01T07:01Z"],
            env=bare,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert ran.returncode == 0, ran.stderr
        assert [r.rcpt_tos for r in handler.received] == [("ana@example.org",)]
    finally:
        server.controller.stop()
