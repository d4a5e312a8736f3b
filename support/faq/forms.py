"""FAQ forms."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import AnyOf, InputRequired


class VoteForm(FlaskForm):
    """Was this helpful? Two submit buttons named `helpful` carry yes / no. No CSRF token: the vote view refuses
    requests from other origins instead (web.from_another_origin), so the entry page needs no session."""

    class Meta:
        csrf = False

    helpful = StringField(validators=[InputRequired(), AnyOf(["yes", "no"])])
