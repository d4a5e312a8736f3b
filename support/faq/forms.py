"""FAQ forms."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import AnyOf, InputRequired


class VoteForm(FlaskForm):
    """Was this helpful? Two submit buttons named `helpful` carry yes / no."""
    helpful = StringField(validators=[InputRequired(), AnyOf(["yes", "no"])])
