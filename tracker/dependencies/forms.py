"""The dependency screen's form."""

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from tracker.text import line
from tracker.web.forms import CleanText, TrackerForm, choice_list


class DependencyForm(TrackerForm):
    depends_on = SelectField(
        "Tiltaket bygger på", coerce=int, validators=[DataRequired("Velg et tiltak.")],
        description="Velg tiltaket som må være på plass først.",
    )  # fmt: skip
    note = StringField("Hvorfor", validators=[CleanText(line(500))])


def measure_choices(measures) -> list[SelectChoice]:
    """The measures this one can depend on, after a "choose" prompt valued 0 (refused by DataRequired)."""
    return choice_list([(0, "Velg tiltak"), *[(m.id, f"{m.code} {m.title[:80]}") for m in measures]])
