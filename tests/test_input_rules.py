"""The rules for input: clean text, sane numbers, dates and quarters, and forms that never forget them.

tests/test_robustness_input.py sends bad input to every entry point; this file holds the rules
themselves, and checks that every form carries them and speaks Norwegian.
"""

import importlib
import importlib.resources
import pkgutil
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import wtforms
from flask_wtf import FlaskForm
from wtforms.validators import NumberRange

import tracker
from tracker.measures.forms import measure_form_class
from tracker.money import NumberFormatError, parse_decimal, parse_mnok, parse_nok
from tracker.periods import Quarter, parse_date, parse_iso_date, quarter_outside_programme
from tracker.risks.forms import assessment_form
from tracker.text import TRUNCATED_MARK, line, lines, shortened, text_problem, without_control
from tracker.web.forms import MESSAGES, CleanText, ParsedTextField, TrackerForm, VersionField

# --- clean text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "problem"),
    [
        ("Vanlig tekst – med æøå og «sitater»", line(300), None),
        ("a\x00b", line(300), "NUL-tegn (tegn nr. 2)"),
        ("a\x00b", lines(300), "NUL-tegn"),
        ("klokke\x07", lines(300), "kontrolltegnet U+0007"),
        ("slett\x7f", line(300), "U+007F"),
        ("neste linje\x85", lines(300), "U+0085"),  # C1
        ("halv\ud800", lines(300), "U+D800"),  # a lone surrogate (PostgreSQL and XML refuse it)
        ("ikke\ufffe", lines(300), "U+FFFE"),
        ("to\tkolonner", line(300), "tabulator"),
        ("to\nlinjer", line(300), "linjeskift"),
        ("to\r\nlinjer\tog tab", lines(300), None),
        ("x" * 300, line(300), None),
        ("x" * 301, line(300), "høyst 300 tegn, men har 301"),
        ("a\r\nb", lines(3), None),  # CR LF is one character, as the browser counts it
        ("", line(1), None),
        (None, line(1), None),
    ],
)
def test_text_problem_refuses_control_characters_and_overlong_text(text, rule, problem):
    found = text_problem(text, rule)
    assert (found is None) if problem is None else (problem in found), found


def test_without_control_keeps_line_breaks_unless_asked_and_shortened_marks_the_cut():
    assert without_control("a\x00b\tc\nd\x1fe") == "ab\tc\nde"
    assert without_control("a\tb\nc", keep_line_breaks=False) == "abc"
    assert shortened("kort", 10) == "kort"
    cut = shortened("ord " * 100, 40)
    assert len(cut) <= 40 and cut.endswith(TRUNCATED_MARK)


# --- numbers, dates, quarters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "typed", "expected"),
    [
        (parse_nok, "1 000 000 000 000", 10**12),
        (parse_nok, "-1 000 000 000 000", -(10**12)),
        (parse_nok, "1 000 000 000 001", "utenfor det tillatte"),
        (parse_nok, "9223372036854775808", "utenfor det tillatte"),  # 2^63
        (parse_nok, "99999999999999999999999", "utenfor det tillatte"),
        (parse_nok, 10**30, "utenfor det tillatte"),
        (parse_nok, "1e30", "er ikke et tall"),
        (parse_mnok, "1 000 000", 10**12),
        (parse_mnok, "1 000 001", "mill. kr"),
        (parse_decimal, float("nan"), "er ikke et tall"),
        (parse_decimal, float("inf"), "er ikke et tall"),
        (parse_decimal, Decimal("NaN"), "er ikke et tall"),
        (parse_decimal, "1" * 61, "er ikke et tall"),
    ],
)
def test_numbers_are_bounded(parse, typed, expected):
    if isinstance(expected, str):
        with pytest.raises(NumberFormatError) as caught:
            parse(typed)
        assert expected in str(caught.value)
        assert len(str(caught.value)) < 200  # a long input is quoted short
    else:
        assert parse(typed) == expected


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (Quarter.parse, "0000-Q1", "mellom 1900 og 2100"),
        (Quarter.parse, "9999-Q4", "mellom 1900 og 2100"),
        (parse_date, "31.12.9999", "utenfor det tillatte"),
        (parse_date, "0001-01-01", "utenfor det tillatte"),
        (parse_date, "31.13.2026", "er ikke en dato"),
        (parse_iso_date, "9999-12-30", "utenfor det tillatte"),
        (parse_iso_date, "30.12.2026", "ÅÅÅÅ-MM-DD"),
    ],
)
def test_dates_and_quarters_lie_between_1900_and_2100(parse, text, message):
    with pytest.raises(ValueError) as caught:
        parse(text)
    assert message in str(caught.value)


def test_the_edges_of_the_years_are_accepted():
    assert Quarter.parse("1900-Q1") == Quarter(1900, 1) and Quarter.parse("2100-Q4") == Quarter(2100, 4)
    assert parse_date("31.12.2100").year == 2100


@pytest.mark.parametrize(
    ("quarter", "is_outside"),
    [("2021-Q1", False), ("2020-Q4", True), ("2034-Q4", False), ("2035-Q1", True)],
)
def test_a_programmes_quarters_are_its_years_give_or_take_five(quarter, is_outside):
    message = quarter_outside_programme(Quarter.parse(quarter), 2026, 2029)
    assert (message is not None) == is_outside
    assert message is None or "mellom 2021 og 2034" in message


# --- every form --------------------------------------------------------------------------------


def _form_modules() -> None:
    for info in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if info.name.endswith(".forms"):
            importlib.import_module(info.name)


def _subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def all_form_classes() -> list[type]:
    """Every form class of the tracker, the ones built per request (edit form, assessment) included."""
    _form_modules()
    indicators = [SimpleNamespace(key=f"i{n}", name=f"Indikator {n}", guidance=["a"] * 5) for n in range(5)]
    built = [measure_form_class([2026, 2027]), measure_form_class([], with_plan=False)]
    classes = {cls for cls in _subclasses(FlaskForm) if cls.__module__.startswith("tracker.")}
    classes |= set(built) | {type(assessment_form(indicators, formdata=None))}
    return sorted(classes, key=lambda cls: (cls.__module__, cls.__qualname__))


def _fields(form_class) -> list:
    return list(form_class())


def test_every_form_is_a_tracker_form_and_every_text_field_has_a_limit(app):
    with app.test_request_context():
        forms = all_form_classes()
        assert len(forms) > 25
        for form_class in forms:
            assert issubclass(form_class, TrackerForm), form_class
            for field in _fields(form_class):
                where = f"{form_class.__qualname__}.{field.name}"
                # A date is typed and shown as dd.mm.åååå whatever the browser's locale: no <input type=date>.
                assert not isinstance(field, wtforms.DateField), f"{where}: use tracker.web.forms.DateTextField"
                if isinstance(field, wtforms.IntegerField):
                    ranges = [v for v in field.validators if isinstance(v, NumberRange)]
                    assert ranges and ranges[0].min is not None and ranges[0].max is not None, where
                if not isinstance(field, wtforms.StringField) or isinstance(field, ParsedTextField | VersionField):
                    continue  # a version is no text: only a plain count is read from it (VersionField.seen)
                rules = [v.rule for v in field.validators if isinstance(v, CleanText)]
                assert rules, f"{where} has no CleanText limit"
                is_area = isinstance(field, wtforms.TextAreaField)
                assert rules[0].is_multiline == is_area, f"{where}: line breaks only in a text area"
                assert field.flags.maxlength == rules[0].max_chars


def test_the_norwegian_messages_cover_every_wtforms_message():
    pot = (importlib.resources.files("wtforms") / "locale" / "wtforms.pot").read_text(encoding="utf-8")
    msgids = set(re.findall(r'^msgid(?:_plural)? "(.+)"$', pot, re.MULTILINE))
    assert msgids and msgids <= set(MESSAGES), msgids - set(MESSAGES)


ENGLISH = [re.split(r"[%{]", message)[0] for message in MESSAGES] + ["Not a valid", "This field", "Invalid"]
BAD_VALUES = ("", "\x00zz", "ikke-et-tall-eller-dato", "9" * 5000, "2147483648")


def _errors(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


@pytest.mark.parametrize("bad", BAD_VALUES, ids=["blank", "nul", "word", "digits", "int32"])
def test_no_english_message_reaches_a_user(app, bad):
    """Every form, every field given the same bad value: rendered, each message is Norwegian."""
    with app.test_request_context():
        names = {field.name for form_class in all_form_classes() for field in _fields(form_class)}
    data = dict.fromkeys(names, bad)
    with app.test_request_context(method="POST", data=data):
        for form_class in all_form_classes():
            form = form_class()
            for field in form:
                if getattr(field, "choices", ()) is None:
                    field.choices = []  # the views set them
            form.validate()
            page = " ".join(str(field) + " ".join(field.errors) for field in form)
            for message in _errors(form):
                assert not any(message.startswith(english) for english in ENGLISH if english), message
            assert not any(english in page for english in ENGLISH if len(english) > 12), form_class
