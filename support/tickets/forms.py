"""The request forms, one per kind, sharing the contact fields; each turns itself into an intake Draft."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..headers import one_line
from ..markets import LANGUAGES
from .drafts import Draft
from .photos import Upload
from .. import clock

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
CLOCK_SLACK = timedelta(minutes=10)         # a phone clock a little ahead is not "the future"
# a date further back is a typo in the year (0001-01-01 even overflowed the time-zone arithmetic)
OLDEST = timedelta(days=366)
KINDS = ("cancellation", "damage", "stuck-order", "other")


class LineField(StringField):
    """A one-line text input. A browser never sends a line break in one; a script may, and the subject and order
    numbers become a mail subject, so control characters are folded to a space as the value arrives."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data:
            self.data = one_line(self.data)


def _required():
    return DataRequired(message=_l("Please fill in this field."))


class RequestForm(FlaskForm):
    """What every request asks: who you are, where you buy, in which language we answer."""
    company = LineField(_l("Company"), [_required(), Length(max=200)])
    name = LineField(_l("Your name"), [_required(), Length(max=200)])
    email = LineField(_l("E-mail"), [_required(), Length(max=320),
                                       Regexp(EMAIL, message=_l("Please enter a valid e-mail address."))])
    phone = LineField(_l("Phone (optional)"), [Optional(), Length(max=50)])
    customer_number = LineField(_l("Customer number (optional)"), [Optional(), Length(max=50)])
    market = SelectField(_l("You buy from"), choices=[SelectChoice("se", _l("Ingram Micro Sweden")),
                                                       SelectChoice("no", _l("Ingram Micro Norway"))])
    language = SelectField(_l("Answer me in"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("nb", "Norsk"),
                                                         SelectChoice("en", "English")])
    subject = LineField(_l("Subject"), [Optional(), Length(max=200)])
    # a honeypot: hidden from people, filled in by bots that fill in everything
    website = LineField(_l("Leave this field empty"), [Optional()])

    category = "other"
    order_label = _l("Order number(s)")

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("Leave this field empty."))

    def validate_language(self, field):
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Please choose a language."))

    def draft(self) -> Draft:
        """The request as plain data for intake."""
        with force_locale(self.language.data):      # the subject is read by the customer, in their language
            subject = self.subject.data or self.default_subject()
        return Draft(market=self.market.data, language=self.language.data, channel="web", category=self.category,
                     subject=subject, body=self.body(),
                     customer_email=self.email.data.strip(), customer_name=self.name.data.strip(),
                     company=self.company.data.strip(), phone=self.phone.data or None,
                     customer_number=self.customer_number.data or None,
                     order_numbers=(self.order_numbers.data or "").strip() or None, details=self.details(),
                     delivered_at=self.delivered_at_aware())

    def default_subject(self) -> str:
        return str(_l("Request"))

    def body(self) -> str:
        return self.description.data.strip()

    def details(self) -> dict:
        return {}

    def delivered_at_aware(self) -> datetime | None:
        return None

    def uploads(self) -> list[Upload]:
        """The chosen photos as plain values (a form without photos has none)."""
        field = getattr(self, "photos", None)
        return [Upload.from_storage(f) for f in (field.data or []) if getattr(f, "filename", None)] if field else []

    def market_zone(self) -> ZoneInfo:
        markets = current_app.extensions["markets"]
        return ZoneInfo(markets.get(self.market.data, markets["se"]).timezone)


class CancellationForm(RequestForm):
    category = "cancellation"
    order_numbers = LineField(_l("Order number(s)"), [_required(), Length(max=300)],
                                description=_l("Separate several order numbers with commas."))
    description = TextAreaField(_l("Reason for the cancellation"), [_required(), Length(max=10000)])

    def default_subject(self) -> str:
        return str(_l("Cancel order %(orders)s", orders=self.order_numbers.data.strip()))


class DamageForm(RequestForm):
    category = "damage"
    order_numbers = LineField(_l("Order number"), [_required(), Length(max=300)])
    delivered_at = DateTimeLocalField(_l("When did you receive the delivery?"), [_required()],
                                      format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    description = TextAreaField(_l("What is damaged?"), [_required(), Length(max=10000)],
                                description=_l("Which products, and what the damage looks like "
                                               "(the box, the goods, or both)."))
    photos = MultipleFileField(_l("Photos of the damage (1 to 10)"),
                               description=_l("Photos (JPEG, PNG, WebP or HEIC, at most 15 MB each) and PDF "
                                              "documents such as the delivery note. Photograph the packaging and the goods."))

    def validate_delivered_at(self, field):
        if not field.data:
            return
        # compared as the market's wall clock, before any time-zone conversion, so year 1 or 9999 cannot overflow
        local_now = clock.now().astimezone(self.market_zone()).replace(tzinfo=None)
        if field.data < local_now - OLDEST:
            raise ValidationError(_l("That is more than a year ago. Please check the date."))
        if field.data > local_now + CLOCK_SLACK:
            raise ValidationError(_l("The delivery time cannot be in the future."))

    def default_subject(self) -> str:
        return str(_l("Transport damage, order %(orders)s", orders=self.order_numbers.data.strip()))

    def details(self) -> dict:
        return {"delivered_at_local": self.delivered_at.data.isoformat(timespec="minutes"),
                "damaged_items": self.description.data.strip()}

    def delivered_at_aware(self) -> datetime | None:
        value = self.delivered_at.data
        return value.replace(tzinfo=self.market_zone()) if value else None


class StuckOrderForm(RequestForm):
    category = "stuck-order"
    order_numbers = LineField(_l("Order number"), [_required(), Length(max=300)])
    status_shown = LineField(_l("Status shown in the webshop"), [_required(), Length(max=100)])
    status_since = DateField(_l("In that status since"), [_required()])
    description = TextAreaField(_l("Anything else we should know? (optional)"), [Optional(), Length(max=10000)])

    def validate_status_since(self, field):
        today = clock.now().astimezone(self.market_zone()).date()
        if field.data and field.data < today - OLDEST:
            raise ValidationError(_l("That is more than a year ago. Please check the date."))
        if field.data and field.data > today:
            raise ValidationError(_l("The date cannot be in the future."))

    def default_subject(self) -> str:
        return str(_l("Order %(orders)s is stuck in status %(status)s", orders=self.order_numbers.data.strip(),
                      status=self.status_shown.data.strip()))

    def body(self) -> str:
        return (self.description.data or "").strip() or self.default_subject()

    def details(self) -> dict:
        return {"status_shown": self.status_shown.data.strip(), "status_since": self.status_since.data.isoformat()}


class OtherForm(RequestForm):
    category = "other"
    subject = LineField(_l("Subject"), [_required(), Length(max=200)])
    order_numbers = LineField(_l("Order number(s) (optional)"), [Optional(), Length(max=300)])
    description = TextAreaField(_l("Your question"), [_required(), Length(max=10000)])


FORMS = {"cancellation": CancellationForm, "damage": DamageForm, "stuck-order": StuckOrderForm, "other": OtherForm}


class SolvedForm(FlaskForm):
    """The button of the "this solved it" page: nothing but the CSRF token (a mail scanner's GET must not close)."""


class MessageForm(FlaskForm):
    """Add to an open request from the status page: text, photos, or both."""
    body = TextAreaField(_l("Your message"), [Optional(), Length(max=10000)])
    photos = MultipleFileField(_l("Photos (optional, up to 10)"),
                               description=_l("Photos (JPEG, PNG, WebP or HEIC, at most 15 MB each) or PDF documents."))
    website = LineField(_l("Leave this field empty"), [Optional()])

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("Leave this field empty."))

    def validate(self, extra_validators=None):
        # not an inline validator: Optional() on the body stops the chain before it when the body is empty
        if not super().validate(extra_validators):
            return False
        if not (self.body.data or "").strip() and not any(getattr(f, "filename", None) for f in self.photos.data or []):
            self.body.errors.append(_l("Please write a message or add a photo."))
            return False
        return True

    def uploads(self) -> list[Upload]:
        return [Upload.from_storage(f) for f in (self.photos.data or []) if getattr(f, "filename", None)]
