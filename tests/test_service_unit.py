"""medbot.service: systemd accepts it, rates its exposure at 2.0 or lower, and it carries the
directives an operator relies on (notify, watchdog, restarts, state and runtime directories)
without cutting the bot off from Telegram and Groq.

There is no running systemd here, so everything is checked statically with systemd-analyze.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[1] / "medbot.service"
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")
MAX_EXPOSURE = 2.0


def directives(text: str) -> dict[str, dict[str, list[str]]]:
    """section -> key -> values, in order (a key may repeat, e.g. SystemCallFilter=)."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        sections[section][key.strip()].append(value.strip())
    return sections


UNIT_DIRECTIVES = directives(UNIT.read_text(encoding="utf-8"))
SERVICE = UNIT_DIRECTIVES["Service"]


def one(key: str, section: str = "Service") -> str:
    values = UNIT_DIRECTIVES[section].get(key, [])
    assert len(values) == 1, f"{key}= should be set exactly once in [{section}], found {values}"
    return values[0]


def seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)\s*(s|sec|min|m)?", value)
    assert match, f"unexpected time span {value!r}"
    return float(match.group(1)) * (60 if match.group(2) in ("min", "m") else 1)


def runnable_copy(tmp_path: Path, text: str | None = None) -> Path:
    """The unit with ExecStart pointing at an executable that exists here: `verify` insists
    on it, and /opt/medbot/venv only exists on a deployed server."""
    text = UNIT.read_text(encoding="utf-8") if text is None else text
    python = Path(sys.executable).resolve()
    replaced, count = re.subn(
        r"(?m)^ExecStart=/opt/medbot/venv/bin/medbot run$",
        f"ExecStart={python} -m medbot.cli run",
        text,
    )
    assert count == 1
    copy = tmp_path / "medbot.service"
    copy.write_text(replaced, encoding="utf-8")
    return copy


def verify(unit: Path) -> tuple[int, list[str]]:
    """Exit status and the lines systemd-analyze printed about this unit file."""
    result = subprocess.run(
        [ANALYZE, "verify", str(unit)], capture_output=True, text=True, timeout=120
    )
    output = (result.stdout + result.stderr).splitlines()
    return result.returncode, [line for line in output if unit.name in line]


def exposure(unit: Path) -> float:
    result = subprocess.run(
        [ANALYZE, "security", "--offline=true", "--no-pager", str(unit)],
        capture_output=True, text=True, timeout=120,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", result.stdout)
    assert match, f"no overall exposure in:\n{result.stdout}\n{result.stderr}"
    return float(match.group(1))


# --- systemd-analyze ------------------------------------------------------------------------


@needs_analyze
def test_systemd_accepts_the_unit_without_a_single_warning(tmp_path: Path) -> None:
    code, complaints = verify(runnable_copy(tmp_path))
    assert code == 0 and complaints == []


@needs_analyze
def test_verify_would_catch_a_mistake_in_the_unit(tmp_path: Path) -> None:
    """The check above is not blind: a typo in a directive is reported."""
    broken = UNIT.read_text(encoding="utf-8").replace("ProtectHome=yes", "ProtectHomes=yes")
    _, complaints = verify(runnable_copy(tmp_path, broken))
    assert any("ProtectHomes" in line for line in complaints)


@needs_analyze
def test_exposure_is_at_most_two() -> None:
    assert exposure(UNIT) <= MAX_EXPOSURE


@needs_analyze
def test_exposure_parser_sees_an_unhardened_unit_as_exposed(tmp_path: Path) -> None:
    bare = tmp_path / "bare.service"
    bare.write_text("[Service]\nExecStart=/bin/true\n", encoding="utf-8")
    assert exposure(bare) > 5.0


# --- what the unit must say -----------------------------------------------------------------


def test_it_is_a_notify_service_with_a_watchdog_and_sane_timeouts() -> None:
    assert one("Type") == "notify"
    assert one("NotifyAccess") == "main"
    assert seconds(one("WatchdogSec")) >= 10
    assert 0 < seconds(one("TimeoutStopSec")) <= 90
    assert seconds(one("TimeoutStartSec")) >= 30


def test_it_runs_medbot_from_the_documented_virtual_environment() -> None:
    assert one("ExecStart") == "/opt/medbot/venv/bin/medbot run"
    assert one("EnvironmentFile") == "/etc/medbot/medbot.env"
    assert one("LoadCredential") == "medbot.toml:/etc/medbot/medbot.toml"
    assert "MEDBOT_CONFIG=%d/medbot.toml" in SERVICE["Environment"]


def test_it_restarts_on_failure_but_not_in_a_tight_loop() -> None:
    assert one("Restart") == "on-failure"
    assert seconds(one("RestartSec")) >= 1
    interval = seconds(one("StartLimitIntervalSec", "Unit"))
    burst = int(one("StartLimitBurst", "Unit"))
    assert burst >= 2 and interval > burst * seconds(one("RestartSec"))


def test_state_and_socket_live_where_settings_look_for_them() -> None:
    """settings.py reads $STATE_DIRECTORY and $RUNTIME_DIRECTORY, which these create."""
    assert one("StateDirectory") == "medbot"
    assert one("RuntimeDirectory") == "medbot"
    assert one("StateDirectoryMode") == one("RuntimeDirectoryMode") == "0700"
    assert one("UMask") == "0077"


def test_the_sandbox_directives_are_all_there() -> None:
    expected = {
        "DynamicUser": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
        "PrivateTmp": "yes", "PrivateDevices": "yes", "NoNewPrivileges": "yes",
        "CapabilityBoundingSet": "", "AmbientCapabilities": "",
        "SystemCallArchitectures": "native", "MemoryDenyWriteExecute": "yes",
        "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
        "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "ProtectClock": "yes",
        "ProtectHostname": "yes", "ProtectProc": "invisible", "ProcSubset": "pid",
        "RestrictNamespaces": "yes", "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes",
        "LockPersonality": "yes", "PrivateUsers": "yes", "RemoveIPC": "yes",
        "DevicePolicy": "closed", "PrivateMounts": "yes", "PrivateIPC": "yes",
    }
    assert {key: one(key) for key in expected} == expected
    assert set(one("RestrictAddressFamilies").split()) == {"AF_INET", "AF_INET6", "AF_UNIX"}
    assert SERVICE["SystemCallFilter"] == ["@system-service", "~@privileged @resources"]


def test_the_sandbox_still_lets_the_bot_reach_telegram_and_groq() -> None:
    """HTTPS out needs the host's network, Internet sockets and no blanket IP deny list."""
    assert SERVICE.get("PrivateNetwork", ["no"]) == ["no"]
    assert "AF_INET" in one("RestrictAddressFamilies").split()
    for value in SERVICE.get("IPAddressDeny", []):
        assert "any" not in value.split(), "IPAddressDeny=any would cut off Telegram and Groq"


def test_it_starts_at_boot() -> None:
    assert one("WantedBy", "Install") == "multi-user.target"
    assert "network-online.target" in one("After", "Unit").split()


# --- the sandbox against what medbot really does ----------------------------------------------
# There is no systemd to start the unit under, so the two restrictions that could break
# Python itself are tried directly: the kernel's own MemoryDenyWriteExecute (prctl
# PR_SET_MDWE, Linux 6.3+) on a process doing medbot's kinds of work, and the system calls
# that process makes (strace) against the unit's SystemCallFilter=.

WORKLOAD = r"""
import os, socket, ssl, sys, tempfile
from pathlib import Path
import groq, telebot
from telebot import apihelper
import actors.llm, actors.persistence, actors.poller, actors.telegram, medbot.app  # noqa: F401
from medbot.shell import sdnotify
from medbot.shell.control import ControlServer, query
from medbot.runner import warm_up
from medbot.storage.files import OwnerLock, atomic_write
from tests.fakes.fixtures import TEST_BOT_TOKEN, TEST_GROQ_API_KEY
from tests.fakes.groq_server import FakeGroq
from tests.fakes.telegram_server import FakeBotAPI

warm_up()                                           # dictionaries, parser
ssl.create_default_context()                        # the system CA store, as for HTTPS
work = Path(tempfile.mkdtemp())
lock = OwnerLock(work)                              # flock on the data directory
atomic_write(work / "user.json", b"{}")             # temp file, fsync, rename, fsync dir
lock.release()
with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
    systemd.bind(str(work / "notify"))
    assert sdnotify.notify("READY=1", env={"NOTIFY_SOCKET": str(work / "notify")})
with ControlServer(work / "medbot.sock", lambda: {"ok": True}):
    assert query(work / "medbot.sock")["ok"] is True
with FakeBotAPI(TEST_BOT_TOKEN) as fake:            # Bot API over HTTP (requests)
    apihelper.API_URL = fake.api_url
    assert telebot.TeleBot(TEST_BOT_TOKEN).get_me().is_bot
with FakeGroq(TEST_GROQ_API_KEY) as fake:           # Groq over HTTP (httpx)
    client = groq.Groq(api_key=TEST_GROQ_API_KEY, base_url=fake.base_url, max_retries=0)
    fake.reply_json({"command": "help"})
    client.chat.completions.create(model="openai/gpt-oss-20b",
                                   messages=[{"role": "user", "content": "hi"}])
print("workload done")
"""

MDWE_LAUNCHER = r"""
import ctypes, os, sys
PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    sys.exit(77)  # this kernel has no PR_SET_MDWE
os.execv(sys.executable, [sys.executable, *sys.argv[1:]])  # MDWE survives execve
"""


def run_python(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, *args], cwd=UNIT.parent, capture_output=True, text=True,
        timeout=240,
    )


def test_python_runs_medbots_work_without_writable_executable_memory() -> None:
    """MemoryDenyWriteExecute=yes: the whole workload succeeds when W+X memory is refused."""
    probe = run_python(
        "-c", MDWE_LAUNCHER, "-c",
        "import mmap\n"
        "try:\n"
        "    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        "except PermissionError:\n"
        "    print('refused')\n",
    )
    if probe.returncode == 77:
        pytest.skip("this kernel has no PR_SET_MDWE (Linux 6.3+)")
    assert probe.stdout.strip() == "refused", "the launcher did not switch MDWE on"
    result = run_python("-c", MDWE_LAUNCHER, "-c", WORKLOAD)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "workload done" in result.stdout


def allowed_system_calls() -> set[str]:
    """SystemCallFilter= of the unit: the allow list minus the ~deny list, groups expanded."""
    listing = subprocess.run(
        [ANALYZE, "syscall-filter", "--no-pager"], capture_output=True, text=True, timeout=60
    ).stdout
    groups: dict[str, list[str]] = {}
    current = None
    for line in listing.splitlines():
        if line.startswith("@"):
            current = line.strip()
            groups[current] = []
        elif current and line.strip() and not line.strip().startswith("#"):
            groups[current].append(line.strip())

    def expand(names: list[str]) -> set[str]:
        calls: set[str] = set()
        for name in names:
            calls |= expand(groups[name]) if name.startswith("@") else {name}
        return calls

    allowed: set[str] = set()
    for value in SERVICE["SystemCallFilter"]:
        if value.startswith("~"):
            allowed -= expand(value[1:].split())
        else:
            allowed |= expand(value.split())
    return allowed


@needs_analyze
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_every_system_call_medbot_makes_passes_the_filter(tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    result = run_python("-c", WORKLOAD, prefix=("strace", "-f", "-qq", "-o", str(trace)))
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip(f"strace cannot trace here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr[-3000:]
    made = set(re.findall(r"(?m)^\d+\s+(?:<\.\.\. )?([a-z_0-9]+)\(", trace.read_text()))
    assert {"openat", "connect", "fsync", "flock", "rename"} <= made  # the trace is real
    # systemd always permits the calls it needs itself after installing the filter.
    assert made - allowed_system_calls() - {"execve", "exit", "exit_group", "rt_sigreturn"} == set()
    families = set(re.findall(r"(?m)^\d+\s+socket\((AF_[A-Z0-9]+)", trace.read_text()))
    assert families <= set(one("RestrictAddressFamilies").split())
