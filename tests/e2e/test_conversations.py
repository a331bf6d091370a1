"""Conversations as people have them (issue 9): a correction right after an add, "отмени",
answers in words, the one-tap confirmation of a reading the parser is not sure of, routine
words asked once, short names, and the reply language. Typed into `medbot chat --json` as a
subprocess, offline; the stored schedule is read back with `medbot export --format json`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

USER = 5


def chat(data: Path, lines: list[str], *extra: str) -> list[dict[str, Any]]:
    """Every bot message of the conversation, in order (`--json`)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("MEDBOT_", "GROQ_"))}
    done = subprocess.run(
        [sys.executable, "-m", "medbot.cli", "chat", "--json", "--data-dir", str(data), "--user", str(USER),
         "--tz", "Europe/Moscow", *extra],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True, timeout=120, env=clean,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def exported(data: Path) -> list[dict[str, Any]]:
    """The stored medications, as `medbot export` shows them."""
    from medbot.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["export", "--data-dir", str(data), "--user", str(USER), "--format", "json"]) == 0
    return json.loads(out.getvalue())["medications"]


def schedule(data: Path) -> dict[str, tuple[str | None, list[str]]]:
    """name → (dosage, times) of the stored schedule."""
    return {med["name"]: (med["dosage"], med["times"]) for med in exported(data)}


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply["text"] for reply in replies]


def test_a_correction_right_after_an_add_changes_that_add(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["конкор 5 мг в 9", "аспирин 50 мг в 9", "ой, не 50 а 25", "не в 9, а в 10"])
    assert schedule(tmp_path) == {"конкор": ("5 мг", ["09:00"]), "аспирин": ("25 мг", ["10:00"])}
    assert "25 мг" in replies[-2]["text"] and "10:00" in replies[-1]["text"]


def test_a_correction_naming_the_medication_and_english_instead_of(tmp_path: Path) -> None:
    chat(tmp_path, ["omega-3 1 capsule at 8", "vitamin D at 8", "sorry, omega at 9 instead of 8"], "--lang", "en")
    assert schedule(tmp_path) == {"omega-3": ("1 capsule", ["09:00"]), "vitamin D": (None, ["08:00"])}


def test_an_old_hour_said_without_its_half_of_the_day_is_asked_about(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["лозап 50 мг в 18:00", "перенеси лозап с 6 на 5 вечера"])
    assert "18:00" in replies[-1]["text"] and "17:00" in replies[-1]["text"]
    assert schedule(tmp_path) == {"лозап": ("50 мг", ["18:00"])}  # asked first, nothing moved
    chat(tmp_path, ["да"])
    assert schedule(tmp_path) == {"лозап": ("50 мг", ["17:00"])}
    replies = chat(tmp_path, ["metformin at 9pm", "not at 9, at 8 in the evening", "no"], "--lang", "en")
    assert "21:00" in replies[-2]["text"] and "20:00" in replies[-2]["text"]
    assert schedule(tmp_path)["metformin"] == (None, ["21:00"])


def test_a_change_read_with_doubt_is_shown_and_asked_before_it_is_made(tmp_path: Path) -> None:
    """"поменяй аспирин на 10": ten o'clock, or 10 mg? `medbot parse` says confirm, and the bot asks."""
    replies = chat(tmp_path, ["аспирин в 9", "поменяй аспирин на 10"])
    question = replies[-1]
    assert "10:00" in question["text"] and [b["text"] for b in question["buttons"]] == ["Да", "Нет"]
    assert schedule(tmp_path) == {"аспирин": (None, ["09:00"])}  # nothing moved before the answer
    chat(tmp_path, ["нет"])
    assert schedule(tmp_path) == {"аспирин": (None, ["09:00"])}
    replies = chat(tmp_path, ["metformin at 8", "chnage metformin to 6pm"])  # a misspelt verb: read, then asked
    assert "18:00" in replies[-1]["text"] and schedule(tmp_path)["metformin"] == (None, ["08:00"])
    chat(tmp_path, [f"/press {replies[-1]['buttons'][0]['data']}"])
    assert schedule(tmp_path)["metformin"] == (None, ["18:00"])


def test_undo_reverts_the_last_change_and_says_what_it_reverted(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["аспирин 100 мг в 9", "удали аспирин", "отмени"])
    assert schedule(tmp_path) == {"аспирин": ("100 мг", ["09:00"])}
    assert "Отменил удаление" in replies[-1]["text"] and "аспирин 100 мг" in replies[-1]["text"]
    replies = chat(tmp_path, ["конкор в 20", "undo"])
    assert schedule(tmp_path) == {"аспирин": ("100 мг", ["09:00"])}
    assert "конкор" in replies[-1]["text"]
    chat(tmp_path, ["undo"])  # an undo of the undo puts the change back
    assert schedule(tmp_path) == {"аспирин": ("100 мг", ["09:00"]), "конкор": (None, ["20:00"])}


def test_undo_with_nothing_to_undo_changes_nothing(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["отмени последнее"])
    assert "нечего" in replies[-1]["text"]
    assert schedule(tmp_path) == {}


def test_answers_in_words(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["добавь аспирин", "в одиннадцать", "конкор в 8 и в 20", "перенеси конкор на 9",
                              "вторую"])
    assert schedule(tmp_path) == {"аспирин": (None, ["11:00"]), "конкор": (None, ["08:00", "09:00"])}
    assert "1. 08:00" in replies[-2]["text"]


def test_yes_applies_exactly_the_proposed_reading(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["нольпазу в 8 вечера"])
    question = replies[-1]
    assert "Нольпаза" in question["text"] and "20:00" in question["text"]
    assert [button["text"] for button in question["buttons"]] == ["Да", "Нет"]
    assert schedule(tmp_path) == {}  # nothing stored before the answer
    chat(tmp_path, [f"/press {question['buttons'][0]['data']}"])
    assert schedule(tmp_path) == {"нольпаза": (None, ["20:00"])}


def test_no_changes_nothing(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["нольпазу в 8"])
    replies += chat(tmp_path, [f"/press {replies[-1]['buttons'][1]['data']}"])
    assert schedule(tmp_path) == {}
    assert "ничего не меняю" in replies[-1]["text"]
    replies = chat(tmp_path, ["креон 10000 к обеду", "нет"])  # a typed "нет" is the same as the button
    assert schedule(tmp_path) == {}


def test_routine_words_are_asked_once_and_remembered(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["аспирин после завтрака", "в 9:30"])
    assert "после завтрака" in replies[-2]["text"]
    replies = chat(tmp_path, ["омега после завтрака", "конкор 5 мг утром и вечером", "8:00", "в 21"])
    assert schedule(tmp_path) == {
        "аспирин": (None, ["09:30"]), "омега": (None, ["09:30"]), "конкор": ("5 мг", ["08:00", "21:00"]),
    }
    assert replies[0]["text"].startswith("Добавлено: омега")  # no second question about breakfast


def test_a_short_name_finds_the_longer_stored_one(tmp_path: Path) -> None:
    chat(tmp_path, ["омега-3 форте 1 капсула в 9", "аспирин в 10", "удали омегу"])
    assert schedule(tmp_path) == {"аспирин": (None, ["10:00"])}


def test_one_english_message_is_answered_in_english_the_chosen_language_stays(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["аспирин в 9", "show my meds", "список"])
    assert texts(replies)[-2].startswith("Your schedule") and texts(replies)[-1].startswith("Ваше расписание")


def test_lang_switches_the_chosen_language(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["/lang"])
    assert [button["text"] for button in replies[-1]["buttons"]] == ["Русский", "English"]
    replies = chat(tmp_path, [f"/press {replies[-1]['buttons'][1]['data']}", "/list"])
    assert "English" in replies[0]["text"] or "English" in replies[0].get("text", "")
    assert texts(replies)[-1].startswith("You have no medications") or "schedule" in texts(replies)[-1].lower()


def test_offline_an_unclear_message_gets_its_best_reading_as_a_question(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["аспирин 9"])
    question = replies[-1]
    assert "09:00" in question["text"] and [b["text"] for b in question["buttons"]] == ["Да", "Нет"]
    chat(tmp_path, [f"/press {question['buttons'][0]['data']}"])
    assert schedule(tmp_path) == {"аспирин": (None, ["09:00"])}


def test_what_the_bot_cannot_do_is_said_plainly_and_changes_nothing(tmp_path: Path) -> None:
    replies = chat(tmp_path, ["аспирин 100 мг в 9", "можно ли пить аспирин с кофе?", "а на украинском можно?",
                              "спасибо большое!", "can I drink alcohol on this?"])
    said = texts(replies)[-4:]
    assert "врача" in said[0] and "по-русски и по-английски" in said[1] and said[2].startswith("Пожалуйста")
    assert "doctor" in said[3]  # an English question answered in English
    assert schedule(tmp_path) == {"аспирин": ("100 мг", ["09:00"])}


def test_a_carers_talk_around_the_request_is_set_aside(tmp_path: Path) -> None:
    chat(tmp_path, ["Здравствуйте! Это дочь пишет. Маме назначили тауфон, по 1 капельке в каждый глаз, в 9 утра и в "
                    "9 вечера. Заранее спасибо!",
                    "так я сегодня была у кардиолога она мне всё поменяла короче добавь бисопролол 5 мг в 8"])
    assert schedule(tmp_path) == {"тауфон": ("1 капля", ["09:00", "21:00"]), "бисопролол": ("5 мг", ["08:00"])}


def rules(data: Path) -> list[tuple[str, list[str], str]]:
    """(name, times, regimen kind) of every stored entry."""
    return [(med["name"], med["times"], med["regimen"]["kind"]) for med in exported(data)]


def test_a_new_rule_for_a_kept_medication_is_asked_and_never_doubles_it(tmp_path: Path) -> None:
    chat(tmp_path, ["верошпирон 25 мг в 9"])
    replies = chat(tmp_path, ["Верошпирон — через день"])
    question = replies[-1]
    assert "уже есть" in question["text"] and "09:00" in question["text"]
    assert [button["text"] for button in question["buttons"]] == ["Заменить расписание", "Добавить отдельно"]
    assert rules(tmp_path) == [("верошпирон", ["09:00"], "daily")]  # nothing changed before the answer
    chat(tmp_path, [f"/press {question['buttons'][0]['data']}"])
    assert rules(tmp_path) == [("верошпирон", ["09:00"], "every_n_days")]  # one entry, its rule replaced


def test_a_second_entry_for_a_kept_medication_when_the_person_says_so(tmp_path: Path) -> None:
    chat(tmp_path, ["spironolactone 25 mg at 9am", "spironolactone every other day"], "--lang", "en")
    replies = chat(tmp_path, ["2", "9pm"], "--lang", "en")  # the number of the option, then its time
    assert "every other day" in replies[-1]["text"].lower()
    assert sorted(rules(tmp_path)) == [("spironolactone", ["09:00"], "daily"),
                                       ("spironolactone", ["21:00"], "every_n_days")]


def test_an_hour_listed_below_the_one_before_it_is_proposed_as_the_afternoons(tmp_path: Path) -> None:
    """"в 9 и 3": 15:00 is the reading, shown with one tap; "Да" stores it, "Нет" stores nothing."""
    replies = chat(tmp_path, ["ципролет в 9 и 3"])
    question = replies[-1]
    assert "09:00" in question["text"] and "15:00" in question["text"] and "03:00" not in question["text"]
    assert [button["text"] for button in question["buttons"]] == ["Да", "Нет"]
    assert schedule(tmp_path) == {}  # nothing stored before the answer
    chat(tmp_path, [f"/press {question['buttons'][0]['data']}"])
    assert schedule(tmp_path) == {"ципролет": (None, ["09:00", "15:00"])}
    replies = chat(tmp_path, ["nimesil at 10 and 4", "no"], "--lang", "en")
    assert "16:00" in replies[-2]["text"]
    assert "nimesil" not in schedule(tmp_path)
