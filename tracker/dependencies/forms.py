"""The dependency screen's form."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class DependencyForm(FlaskForm):
    depends_on = SelectField(
        "Tiltaket bygger på", coerce=int, validators=[DataRequired("Velg et tiltak.")],
        description="Velg tiltaket som må være på plass først.",
    )  # fmt: skip
    note = StringField("Hvorfor", validators=[Length(max=500)])
