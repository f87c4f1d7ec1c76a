"""The dependency screen's form."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.web.forms import choice_list


class DependencyForm(FlaskForm):
    depends_on = SelectField(
        "Tiltaket bygger på", coerce=int, validators=[DataRequired("Velg et tiltak.")],
        description="Velg tiltaket som må være på plass først.",
    )  # fmt: skip
    note = StringField("Hvorfor", validators=[Length(max=500)])


def measure_choices(measures) -> list[SelectChoice]:
    """The measures this one can depend on, after a "choose" prompt valued 0 (refused by DataRequired)."""
    return choice_list([(0, "Velg tiltak"), *[(m.id, f"{m.code} {m.title[:80]}") for m in measures]])
