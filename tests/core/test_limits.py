"""Telegram's message limits kept before a send: texts split at lines, edits cut, keyboards capped."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from medbot.core.limits import ELLIPSIS, MAX_BUTTONS, MAX_TEXT, capped_keyboard, cut_text, text_parts, units
from medbot.core.view import Button


def test_a_short_text_is_one_part_unchanged() -> None:
    assert text_parts("Ваше расписание:\n• аспирин") == ["Ваше расписание:\n• аспирин"]


def test_a_long_list_is_split_between_lines_and_loses_no_line() -> None:
    lines = [f"• лекарство номер {n} 100 мг — 08:00, 14:00, 20:00" for n in range(300)]
    parts = text_parts("\n".join(lines))
    assert len(parts) > 1 and all(units(part) <= MAX_TEXT for part in parts)
    assert [line for part in parts for line in part.split("\n")] == lines


def test_emoji_count_twice() -> None:
    text = "💊" * 3000  # 6,000 UTF-16 units in one line
    parts = text_parts(text)
    assert [units(part) for part in parts] == [4096, 6000 - 4096]
    assert "".join(parts) == text


def test_an_edit_is_cut_at_a_line_with_an_ellipsis() -> None:
    text = "\n".join(f"строка {n}" for n in range(1000))
    cut = cut_text(text)
    assert units(cut) <= MAX_TEXT and cut.endswith(ELLIPSIS)
    assert cut[:-1].split("\n")[-1].startswith("строка")


def test_a_keyboard_is_capped_at_telegrams_limit() -> None:
    rows = tuple((Button(f"b{n}", f"t:{n}"),) for n in range(130))
    capped = capped_keyboard(rows)
    assert sum(len(row) for row in capped) == MAX_BUTTONS and capped[0] == rows[0]
    assert capped_keyboard(rows[:5]) == rows[:5]


@given(st.lists(st.text(max_size=300), max_size=60), st.integers(min_value=2, max_value=500))
def test_parts_fit_and_keep_every_visible_character_in_order(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    parts = text_parts(text, limit)
    assert parts and all(units(part) <= limit for part in parts)
    visible = re.compile(r"\s")
    assert visible.sub("", "".join(parts)) == visible.sub("", text)
