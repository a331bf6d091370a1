"""`medbot check-config`: one clear line per problem, never a secret; and the shipped example
configuration files load cleanly."""

from __future__ import annotations

import io
import os
import re
import tomllib
from pathlib import Path

import pytest

from medbot.shell.check_config import check_config, check_config_command, read_env_file
from medbot.shell.settings import OPTIONS, Settings, load
from tests.fakes.fixtures import TEST_BOT_TOKEN, TEST_GROQ_API_KEY

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_TOML = REPO / "config" / "medbot.toml"
EXAMPLE_ENV = REPO / "config" / "medbot.env.example"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A configuration with nothing wrong: a token, a data dir that can be created, an empty
    private config file (so that no config/medbot.toml of the working directory is read)."""
    return {
        "MEDBOT_CONFIG": str(write_private(tmp_path / "empty.toml", "")),
        "MEDBOT_TELEGRAM_TOKEN": TEST_BOT_TOKEN,
        "MEDBOT_DATA_DIR": str(tmp_path / "data"),
        "MEDBOT_CONTROL_SOCKET": str(tmp_path / "medbot.sock"),
    }


def write_private(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def run(config: Path | None, env: dict[str, str], env_file: Path | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = check_config_command(
        str(config) if config else None, env, str(env_file) if env_file else None, out=out
    )
    return code, out.getvalue()


def only(lines: list[str]) -> str:
    assert len(lines) == 1, lines
    return lines[0]


# --- a good configuration -------------------------------------------------------------------


def test_a_good_configuration_is_ok(env: dict[str, str], tmp_path: Path) -> None:
    assert check_config(None, env) == []
    assert run(None, env) == (0, "ok\n")
    assert not (tmp_path / "data").exists()  # checking never creates the data directory


def test_the_example_toml_passes_with_a_token(env: dict[str, str]) -> None:
    assert [line for line in check_config(str(EXAMPLE_TOML), env)
            if not line.startswith("warning:")] == []


# --- one line per problem -------------------------------------------------------------------


def test_missing_token(env: dict[str, str]) -> None:
    del env["MEDBOT_TELEGRAM_TOKEN"]
    assert only(check_config(None, env)).startswith("MEDBOT_TELEGRAM_TOKEN is not set")


def test_malformed_token_is_named_but_not_shown(env: dict[str, str]) -> None:
    env["MEDBOT_TELEGRAM_TOKEN"] = "12345:short-and-wrong-token"
    code, out = run(None, env)
    assert code == 1
    assert "does not look like a bot token" in out
    assert "short-and-wrong" not in out


def test_problems_found_while_loading_are_all_reported(env: dict[str, str], tmp_path: Path) -> None:
    config = write_private(tmp_path / "medbot.toml", (
        "[reminders]\nrepeat_minutes = 2\ndefault_tz = \"Mars/Olympus\"\n"
        "[telegram]\ncolour = \"blue\"\n"
    ))
    lines = check_config(str(config), env)
    assert "[reminders] repeat_minutes: must be between 5 and 1440 minutes" in lines
    assert any(line.startswith("[reminders] default_tz: must be an IANA time zone") for line in lines)
    assert "config file: unknown setting [telegram] colour" in lines
    assert len(lines) == 3


def test_history_days_keep_at_least_what_stats_look_at(env: dict[str, str], tmp_path: Path) -> None:
    config = write_private(tmp_path / "medbot.toml", "[storage]\nhistory_days = 90\n")
    assert load(config, {}).settings.history_days == 90
    assert load(config, {"MEDBOT_HISTORY_DAYS": "35"}).settings.history_days == 35
    env["MEDBOT_HISTORY_DAYS"] = "30"
    assert only(check_config(None, env)) == (
        "MEDBOT_HISTORY_DAYS: must be at least 35 days (/stats looks 30 days back)"
    )


def test_invalid_toml(env: dict[str, str], tmp_path: Path) -> None:
    config = write_private(tmp_path / "medbot.toml", "[telegram\n")
    assert only(check_config(str(config), env)).startswith(f"config file {config}: not valid TOML")


def test_missing_config_file(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert only(check_config(str(missing), env)) == f"config file {missing}: not found"


def test_data_dir_that_is_a_file(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "data").write_text("")
    assert only(check_config(None, env)) == f"data directory {tmp_path / 'data'}: exists but is not a directory"


def test_data_dir_under_a_file_cannot_be_created(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    env["MEDBOT_DATA_DIR"] = str(tmp_path / "file" / "data")
    assert "cannot be created" in only(check_config(None, env))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any directory")
def test_data_dir_in_a_read_only_parent(env: dict[str, str], tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o500)
    env["MEDBOT_DATA_DIR"] = str(parent / "data")
    try:
        assert "cannot be created" in only(check_config(None, env))
    finally:
        parent.chmod(0o700)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any directory")
def test_existing_data_dir_not_writable(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o500)
    try:
        assert only(check_config(None, env)).endswith("not writable by this user")
    finally:
        data.chmod(0o700)


def test_data_dir_open_to_others_is_a_warning(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    code, out = run(None, env)
    assert code == 0
    assert out == f"warning: data directory {data}: other users can enter it (health data!); chmod 0700\nok\n"


@pytest.mark.parametrize("chat_id", ["0", str(2**60)])
def test_admin_chat_id_that_is_not_an_id(env: dict[str, str], chat_id: str) -> None:
    env["MEDBOT_ADMIN_CHAT_ID"] = chat_id
    assert only(check_config(None, env)).startswith("MEDBOT_ADMIN_CHAT_ID ([access] admin_chat_id)")


def test_admin_chat_id_that_is_not_a_number(env: dict[str, str]) -> None:
    env["MEDBOT_ADMIN_CHAT_ID"] = "@my_admin"
    assert only(check_config(None, env)).startswith("MEDBOT_ADMIN_CHAT_ID: must be a Telegram chat id")


@pytest.mark.parametrize(
    ("variable", "name"),
    [("MEDBOT_TELEGRAM_API_URL", "MEDBOT_TELEGRAM_API_URL ([telegram] api_url)"),
     ("MEDBOT_GROQ_BASE_URL", "MEDBOT_GROQ_BASE_URL ([llm] base_url)")],
)
def test_plain_http_to_a_remote_host(env: dict[str, str], variable: str, name: str) -> None:
    env["GROQ_API_KEY"] = TEST_GROQ_API_KEY
    env[variable] = "http://bot.example.org:8081"
    assert only(check_config(None, env)) == (
        f"{name}: plain http to bot.example.org would send credentials unencrypted; "
        "use https (http is only for 127.0.0.1 or localhost)"
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("MEDBOT_ADMIN_CHAT_ID", "123456789"),  # a person
     ("MEDBOT_ADMIN_CHAT_ID", "-1001234567890"),  # a group
     ("MEDBOT_TELEGRAM_API_URL", "http://127.0.0.1:8081"),  # a local Bot API server
     ("MEDBOT_TELEGRAM_API_URL", "http://localhost:8081"),
     ("MEDBOT_TELEGRAM_API_URL", "http://[::1]:8081"),
     ("MEDBOT_TELEGRAM_API_URL", "https://bot.example.org")],
)
def test_acceptable_values_raise_nothing(env: dict[str, str], variable: str, value: str) -> None:
    env[variable] = value
    assert check_config(None, env) == []


def test_url_that_is_not_http(env: dict[str, str]) -> None:
    env["MEDBOT_TELEGRAM_API_URL"] = "ftp://api.telegram.org"
    assert only(check_config(None, env)).startswith("MEDBOT_TELEGRAM_API_URL: must be an http(s) URL")


def test_url_with_credentials_is_refused_without_showing_them(env: dict[str, str]) -> None:
    env["MEDBOT_TELEGRAM_API_URL"] = "https://admin:hunter2secret@bot.example.org"
    line = only(check_config(None, env))
    assert "must not contain a user name or password" in line
    assert "hunter2secret" not in line


def test_groq_key_of_another_shape_is_a_warning(env: dict[str, str]) -> None:
    env["GROQ_API_KEY"] = "sk-someother-provider-key-123456"
    code, out = run(None, env)
    assert code == 0
    assert out == "warning: GROQ_API_KEY does not look like a Groq key (they start with gsk_)\nok\n"


def test_groq_url_without_a_key_is_a_warning(env: dict[str, str]) -> None:
    env["MEDBOT_GROQ_BASE_URL"] = "https://api.groq.com"
    assert only(check_config(None, env)).startswith("warning: MEDBOT_GROQ_BASE_URL is set but")


def test_control_socket_path_too_long(env: dict[str, str], tmp_path: Path) -> None:
    env["MEDBOT_CONTROL_SOCKET"] = str(tmp_path / ("x" * 120) / "medbot.sock")
    assert "too long for a Unix socket" in only(check_config(None, env))


def test_world_readable_config_without_secrets_is_a_warning(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = write_private(tmp_path / "medbot.toml", "[reminders]\nrepeat_minutes = 30\n", 0o644)
    code, out = run(config, env)
    assert code == 0
    assert out == (
        f"warning: config file {config}: every user can read it (mode 0644); chmod 0600 {config}\nok\n"
    )


def test_world_readable_config_with_the_token_fails(env: dict[str, str], tmp_path: Path) -> None:
    del env["MEDBOT_TELEGRAM_TOKEN"]
    config = write_private(
        tmp_path / "medbot.toml", f'[telegram]\ntoken = "{TEST_BOT_TOKEN}"\n', 0o644
    )
    code, out = run(config, env)
    assert code == 1
    assert out == (
        f"config file {config}: holds secrets and every user can read it; chmod 0600 {config}\n"
    )
    assert run(write_private(config, config.read_text(), 0o600), env) == (0, "ok\n")


# --- the environment file -------------------------------------------------------------------


def test_env_file_is_read_like_systemd_does(env: dict[str, str], tmp_path: Path) -> None:
    del env["MEDBOT_TELEGRAM_TOKEN"]
    env_file = write_private(tmp_path / "medbot.env", (
        "# secrets\n; also a comment\n\n"
        f'MEDBOT_TELEGRAM_TOKEN="{TEST_BOT_TOKEN}"\n'
        f"GROQ_API_KEY='{TEST_GROQ_API_KEY}'\n"
        "MEDBOT_REPEAT_MINUTES = 30\n"
    ))
    values, problems = read_env_file(env_file)
    assert problems == []
    assert values == {"MEDBOT_TELEGRAM_TOKEN": TEST_BOT_TOKEN, "GROQ_API_KEY": TEST_GROQ_API_KEY,
                      "MEDBOT_REPEAT_MINUTES": "30"}
    assert run(None, env, env_file) == (0, "ok\n")


def test_env_file_values_override_the_shell(env: dict[str, str], tmp_path: Path) -> None:
    env_file = write_private(tmp_path / "medbot.env", "MEDBOT_REPEAT_MINUTES=1\n")
    code, out = run(None, env, env_file)
    assert (code, out) == (1, "MEDBOT_REPEAT_MINUTES: must be between 5 and 1440 minutes\n")


def test_env_file_problems(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.env"
    assert run(None, env, missing) == (1, f"environment file {missing}: not found\n")
    broken = write_private(tmp_path / "broken.env", f"export MEDBOT_TELEGRAM_TOKEN {TEST_BOT_TOKEN}\n")
    code, out = run(None, env, broken)
    assert code == 1
    assert out == f"environment file {broken}, line 1: not a KEY=VALUE line\n"


def test_world_readable_env_file_with_a_token_fails(env: dict[str, str], tmp_path: Path) -> None:
    env_file = write_private(tmp_path / "medbot.env", f"MEDBOT_TELEGRAM_TOKEN={TEST_BOT_TOKEN}\n", 0o644)
    code, out = run(None, env, env_file)
    assert code == 1
    assert out == f"environment file {env_file}: holds secrets and every user can read it; chmod 0600 {env_file}\n"


# --- secrets ----------------------------------------------------------------------------------


def test_no_secret_is_ever_printed(tmp_path: Path) -> None:
    """Every kind of mistake at once, with the token and key spread everywhere they could be."""
    token, key = TEST_BOT_TOKEN, TEST_GROQ_API_KEY
    malformed = "99:" + "q" * 12
    config = write_private(tmp_path / "medbot.toml", (
        f'[telegram]\ntoken = "{token}"\napi_url = "http://evil.example/bot{token}/"\n'
        f'[llm]\napi_key = "{key}"\nbase_url = "http://user:{key}@groq.example"\n'
        f'[access]\nadmin_chat_id = "{token}"\nallowed_users = "{token}"\n'
        f'[{key}]\nx = 1\n[storage]\n"{token}" = 1\n'
    ), 0o644)
    env_file = write_private(tmp_path / "medbot.env", f"GROQ_API_KEY={key}\n{token}\n", 0o644)
    outputs = []
    for extra in ({}, {"MEDBOT_TELEGRAM_TOKEN": malformed},
                  {"MEDBOT_TELEGRAM_API_URL": f"ftp://{token}"},
                  {"MEDBOT_DATA_DIR": str(tmp_path / "medbot.toml" / "x")}):
        outputs.append(run(config, {**extra}, env_file)[1])
        outputs.append(run(config, {**extra})[1])
    text = "\n".join(outputs)
    assert "holds secrets and every user can read it" in text  # the run did find problems
    for secret in (token, key, malformed, token.split(":")[1], key[4:]):
        assert secret not in text


# --- the shipped examples ---------------------------------------------------------------------


def _commented_settings(text: str) -> str:
    """The example with every commented-out `# key = value` setting switched on."""
    return re.sub(r"(?m)^# ([a-z_]+ = .+)$", r"\1", text)


def test_example_toml_loads_without_problems_and_changes_no_default() -> None:
    loaded = load(EXAMPLE_TOML, {})
    assert loaded.problems == ()
    assert loaded.settings == Settings()


def test_example_toml_names_every_setting() -> None:
    table = tomllib.loads(_commented_settings(EXAMPLE_TOML.read_text(encoding="utf-8")))
    present = {(section, key) for section, body in table.items() for key in body}
    assert present == {option.toml for option in OPTIONS}
    text = EXAMPLE_TOML.read_text(encoding="utf-8")
    assert all(option.env in text for option in OPTIONS)  # each documented with its variable


def test_every_commented_example_value_loads_too(tmp_path: Path) -> None:
    enabled = write_private(
        tmp_path / "medbot.toml", _commented_settings(EXAMPLE_TOML.read_text(encoding="utf-8"))
    )
    assert load(enabled, {}).problems == ()


def test_under_systemd_the_example_leaves_data_and_socket_to_systemd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """data_dir and control_socket stay commented out: a value there would override
    $STATE_DIRECTORY / $RUNTIME_DIRECTORY and put the data in the read-only root."""
    monkeypatch.setenv("RUNTIME_DIRECTORY", "/run/medbot")
    settings = load(EXAMPLE_TOML, {"STATE_DIRECTORY": "/var/lib/medbot"}).settings
    assert settings.data_dir == Path("/var/lib/medbot")
    assert settings.socket_path == Path("/run/medbot/medbot.sock")


def test_example_env_file_names_the_secrets_and_holds_none() -> None:
    values, problems = read_env_file(EXAMPLE_ENV)
    assert [line for line in problems if not line.startswith("warning:")] == []
    assert values == {"MEDBOT_TELEGRAM_TOKEN": "", "GROQ_API_KEY": ""}
