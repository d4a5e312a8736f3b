"""Agent forms (Flask-WTF: CSRF on every POST); ticket forms carry the version they were rendered with."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, IntegerField, MultipleFileField, PasswordField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from ..ids import valid_id
from ..tickets.models import CATEGORIES, PRIORITIES, STATUSES
from .accounts import MIN_PASSWORD
from .passwords import MAX_LENGTH as MAX_PASSWORD
from .labels import NAMES


def _choices(kind: str, values) -> list[SelectChoice]:
    """Choices showing the translated names of statuses, priorities and categories."""
    return [SelectChoice(v, NAMES.get(kind, {}).get(v, v)) for v in values]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[EqualTo("new", message=_l("The passwords do not match."))])


class CodeForm(FlaskForm):
    code = StringField(_l("Code from the authenticator app"), validators=[DataRequired(), Length(max=20)])


class RecoveryCodeForm(FlaskForm):
    code = StringField(_l("Recovery code"), validators=[DataRequired(), Length(max=40)])


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])


class ReplyForm(VersionedForm):
    body = TextAreaField(_l("Reply to the customer"), validators=[DataRequired(), Length(max=20000)])
    files = MultipleFileField(_l("Attach files (PDF or photos)"))
    status = SelectField(_l("Then set the status to"), default="pending",
                         choices=_choices("status", STATUSES))
    # the FAQ suggestions inserted into the body (slugs, space-separated; js/suggestions.js or ?insert=)
    suggestions = StringField(widget=HiddenInput(), validators=[Optional()])   # unknown slugs are dropped, not refused


class NoteForm(VersionedForm):
    body = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=20000)])


class ChangeForm(VersionedForm):
    status = SelectField(_l("Status"), choices=_choices("status", STATUSES))
    priority = SelectField(_l("Priority"), choices=_choices("priority", PRIORITIES))
    queue = SelectField(_l("Queue"), choices=[])
    category = SelectField(_l("Category"), choices=_choices("category", CATEGORIES))


class AssignForm(VersionedForm):
    assignee = SelectField(_l("Assign to"), coerce=int, choices=[])

    def validate_assignee(self, field):
        # the view lets any number through (the operation checks the colleague); a huge one overflowed the lookup
        if not valid_id(field.data):
            raise ValidationError(_l("No such agent."))


class MergeForm(VersionedForm):
    target = StringField(_l("Merge this ticket into (reference)"), validators=[DataRequired(), Length(max=12)])


class BulkForm(FlaskForm):
    action = SelectField(_l("Action"), choices=[SelectChoice("assign_self", _l("Assign to me")),
                                                SelectChoice("status", _l("Set status")),
                                                SelectChoice("priority", _l("Set priority")),
                                                SelectChoice("queue", _l("Move to queue"))])
    value = SelectField(_l("Value"), choices=[], validate_choice=False)


class AgentForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=320)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice("agent", _l("Agent")), SelectChoice("admin", _l("Admin"))])
    markets = StringField(_l("Markets"), default="se,no", validators=[DataRequired(), Length(max=20)])
    languages = StringField(_l("Languages"), default="sv,nb,en", validators=[DataRequired(), Length(max=20)])


class AgentEditForm(FlaskForm):
    markets = StringField(_l("Markets"), validators=[DataRequired(), Length(max=20)])
    role = SelectField(_l("Role"), choices=[SelectChoice("agent", _l("Agent")), SelectChoice("admin", _l("Admin"))])
    active = BooleanField(_l("Active"), validators=[Optional()])


class PrivacyForm(FlaskForm):
    email = EmailField(_l("The customer's e-mail address"), validators=[DataRequired(), Length(max=320)])
    confirm = BooleanField(_l("I have checked the request, and the data of this address is to be erased"),
                           validators=[Optional()])
