"""Clean text: the one check for every text a form, a file or a command gives the tracker. Pure.

A text is refused when it holds a control character (NUL and the rest of C0 and C1, DEL, lone
surrogates, U+FFFE/U+FFFF): PostgreSQL cannot store NUL, XML (Excel, the reports) cannot hold
most of the others, and none of them is ever typed on purpose. Tab, CR and LF are allowed in
multi-line fields only. Every field has a length limit (`TextRule`); the limits of the shared
kinds of field are named here, so a form, an import and a service refuse the same text.
"""

import re
from dataclasses import dataclass

from tracker.errors import ServiceError

TRUNCATED_MARK = " … (forkortet)"
_LINE_BREAKS = "\t\n\r"
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_FORBIDDEN_IN_LINE = re.compile(f"[{_CONTROL}{_LINE_BREAKS}]")
_FORBIDDEN_IN_TEXT = re.compile(f"[{_CONTROL}]")
_NAMES = {"\x00": "NUL-tegn", "\t": "tabulator", "\n": "linjeskift", "\r": "linjeskift"}


@dataclass(frozen=True)
class TextRule:
    """How long a field's text may be, and whether it may hold line breaks and tabs."""

    max_chars: int
    is_multiline: bool = False


def line(max_chars: int) -> TextRule:
    """A one-line field of at most `max_chars` characters (a short column, a name, a reference)."""
    return TextRule(max_chars)


def lines(max_chars: int) -> TextRule:
    """A multi-line field of at most `max_chars` characters."""
    return TextRule(max_chars, True)


TITLE = line(300)
NAME = line(200)
FREE_TEXT = lines(20_000)
NOTE = lines(4000)
PASSWORD = line(1000)


class TextError(ServiceError):
    """Texts refused by their rules; `errors_by_field` says which and why."""


def char_count(text: str) -> int:
    """Characters as a browser counts them: a line break is one, whether sent as CR LF or LF."""
    return len(text) - text.count("\r\n")


def _describe(char: str) -> str:
    return _NAMES.get(char, f"kontrolltegnet U+{ord(char):04X}")


def text_problem(text: str | None, rule: TextRule) -> str | None:
    """What is wrong with `text` under `rule`, as a Norwegian sentence; None when nothing is."""
    if not text:
        return None
    forbidden = (_FORBIDDEN_IN_TEXT if rule.is_multiline else _FORBIDDEN_IN_LINE).search(text)
    if forbidden:
        where = f"tegn nr. {forbidden.start() + 1}"
        return f"Teksten kan ikke inneholde {_describe(forbidden.group())} ({where}). Fjern tegnet og prøv igjen."
    count = char_count(text)
    if count > rule.max_chars:
        return f"Teksten kan ha høyst {rule.max_chars} tegn, men har {count}."
    return None


def text_problems(values: dict, rules: dict[str, TextRule]) -> dict[str, str]:
    """{field: message} for the texts of `values` that break their rule in `rules`."""
    problems = {}
    for name, rule in rules.items():
        value = values.get(name)
        problem = text_problem(value, rule) if isinstance(value, str) else None
        if problem:
            problems[name] = problem
    return problems


def check_texts(values: dict, rules: dict[str, TextRule], error: type[ServiceError] = TextError) -> None:
    """Refuse the texts of `values` that break their rule in `rules`: one message per field."""
    problems = text_problems(values, rules)
    if problems:
        raise error("Teksten ble ikke lagret: " + " ".join(problems.values()), problems)


def without_control(text: str, keep_line_breaks: bool = True) -> str:
    """`text` with the characters `text_problem` refuses removed (for exports of stored text)."""
    pattern = _FORBIDDEN_IN_TEXT if keep_line_breaks else _FORBIDDEN_IN_LINE
    return pattern.sub("", text)


def shortened(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars` characters with a visible mark, when it is longer."""
    if len(text) <= max_chars:
        return text
    return text[: max(0, max_chars - len(TRUNCATED_MARK))].rstrip() + TRUNCATED_MARK
