"""The GOV.UK form kit every front door's forms are made of: GOV.UK date inputs, amounts of money
typed as people type them, fields with GDS-style error messages, the error summary's links (naming
the row where a page repeats fields), a domain refusal turned into messages beside
the fields it is about, and `submit`, the shape of a page that calls one action."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from crispy_forms_gds.helper import FormHelper  # type: ignore[import-untyped]
from crispy_forms_gds.widgets import DateInputWidget  # type: ignore[import-untyped]
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from putright import clock
from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# Months as people type them: a number, the name, or its first three letters ("oct"), and "sept".
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTH_NUMBERS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class DateField(forms.MultiValueField):
    """A GOV.UK date input (day, month, year) with the GDS error messages, each naming the date
    ("The date it happened must include a year").

    It reads a date as people type it: the month as a number, a name or an abbreviation
    ("10", "October", "oct", "Sept"), the day with or without "st", "nd", "rd" or "th", and a year
    of two numbers as this century's ("25" is 2025). With `not_future`, a date after today is
    refused on the page that asks for it, rather than later."""

    widget = DateInputWidget

    def __init__(self, *, what: str, not_future: bool = False, **kwargs: Any) -> None:
        self.what = what
        self.not_future = not_future
        # No length limit on the parts: "September" is a month, and a slip is explained by compress().
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        messages = {"required": f"Enter {what}", "incomplete": f"Enter {what}"}
        super().__init__(fields=parts, require_all_fields=False, error_messages=messages, **kwargs)
        for part in self.fields:
            part.required = False

    def compress(self, data_list: list[str]) -> date | None:
        day, month, year = (str(value or "").strip() for value in (list(data_list) + ["", "", ""])[:3])
        if not (day or month or year):
            return None
        what = _sentence(self.what)
        missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
        if missing:
            raise ValidationError(f"{what} must include a {_and(missing)}", code="incomplete")
        if year.isdigit() and len(year) not in (2, 4):
            example = clock.today().year
            raise ValidationError(f"{what} must include the year as 4 numbers, like {example}", code="year")
        try:
            value = date(self._year(year), self._month(month), self._day(day))
        except ValueError:
            raise ValidationError(f"{what} must be a real date", code="invalid") from None
        if self.not_future and value > clock.today():
            raise ValidationError(f"{what} must be today or in the past", code="future")
        return value

    @staticmethod
    def _day(typed: str) -> int:
        found = _ORDINAL.fullmatch(typed.lower())
        if not found:
            raise ValueError(typed)
        return int(found.group(1))

    @staticmethod
    def _month(typed: str) -> int:
        if typed.isdigit() and len(typed) <= 2:
            return int(typed)
        return MONTH_NUMBERS.get(typed.lower().rstrip("."), 0)  # 0 is no month: "must be a real date"

    @staticmethod
    def _year(typed: str) -> int:
        if not typed.isdigit():
            raise ValueError(typed)
        # Two numbers are this century's year: nobody complains about the 1920s.
        return 2000 + int(typed) if len(typed) == 2 else int(typed)


def text(label: str, *, required: bool = True, max_length: int = 200, what: str = "", **kwargs: Any) -> forms.CharField:
    what = what or label[:1].lower() + label[1:]
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{_sentence(what)} must be {max_length:,} characters or fewer",
        },
        **kwargs,
    )


class LongTextField(forms.CharField):
    """Text of several lines, with GOV.UK Frontend's character count below the box.

    The browser is not told the limit (a `maxlength` attribute would silently cut a longer
    paste): the count tells the person as they type, and the server refuses too much text with a
    message that says how much there is, keeping every word in the box to shorten."""

    def __init__(self, *, what: str, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        # Replace Django's validator, whose message cannot say "10,450" with its comma.
        self.validators = [CharacterLimit(max_length)]
        self.error_messages["max_length"] = (
            f"{_sentence(what)} must be {max_length:,} characters or fewer (it has %(count)s)"
        )

    @property
    def character_limit(self) -> int | None:
        """The limit the page's character count shows, where the box is one (not a hidden input)."""
        return self.max_length if isinstance(self.widget, forms.Textarea) else None

    @property
    def character_limit_text(self) -> str:
        return f"{self.max_length:,}"

    def to_python(self, value: Any) -> str | None:
        # Browsers send a new line as two characters (CR LF) but count it as one: so does the server.
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        # The class GOV.UK Frontend's character count finds the box by; crispy-forms-gds then
        # describes the box by the count's message.
        attrs["class"] = "govuk-js-character-count"
        attrs.setdefault("aria-describedby", "")
        return attrs


class CharacterLimit(MaxLengthValidator):
    def __call__(self, value: Any) -> None:
        if len(value) > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit_value": self.limit_value, "show_value": len(value), "count": f"{len(value):,}"},
            )


def long_text(
    label: str, *, required: bool = True, max_length: int = 10_000, what: str = "", rows: int = 5, **kwargs: Any
) -> LongTextField:
    """A box for text of several lines, with its limit shown as a character count."""
    what = what or label[:1].lower() + label[1:]
    return LongTextField(
        label=label,
        required=required,
        max_length=max_length,
        what=what,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {what}"},
        **kwargs,
    )


def radios(label: str, choices: Any, *, what: str, required: bool = True, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select {what}", "invalid_choice": f"Select {what}"},
        **kwargs,
    )


def select(label: str, choices: Any, *, what: str, required: bool = True, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"required": f"Select {what}", "invalid_choice": f"Select {what}"},
        **kwargs,
    )


def yes_no(label: str, *, what: str, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=(("no", "No"), ("yes", "Yes")),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Select {what}", "invalid_choice": f"Select {what}"},
        **kwargs,
    )


def confirm(label: str, *, message: str, required: bool = True, **kwargs: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=required, error_messages={"required": message}, **kwargs)


# Pounds as people write them: an optional £, commas between thousands, and pence as two digits
# or one ("75.5"). A comma anywhere else ("1,00,0") is more likely a slip than a number.
_POUNDS = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d{1,2})?")
_MINUS = ("-", "\u2212")  # a hyphen and the minus sign
PENNY = Decimal("0.01")


class MoneyField(forms.Field):
    """An amount in pounds and pence, forgiving about how it is typed ("£1,200.50", "£ 75", " 75.5 ")
    and strict about what it means: never negative, never a fraction of a penny. Cleans to a
    Decimal with pence ("75.50"), or None when left empty and not required."""

    widget = forms.TextInput

    def __init__(self, *, what: str, max_value: Decimal = Decimal(1_000_000), **kwargs: Any) -> None:
        self.what = what
        self.max_value = max_value
        example = "in pounds and pence, like £75.00"
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}))
        super().__init__(error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} {example}"}, **kwargs)
        self.error_messages.update(
            negative=f"{_sentence(what)} must be £0.00 or more",
            too_much=f"{_sentence(what)} must be £{max_value:,.2f} or less",
        )

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value.quantize(PENNY)
        typed = str(value or "").strip()
        if typed in self.empty_values:
            return None
        digits = typed.removeprefix("£").strip()
        if typed.startswith(_MINUS) or digits.startswith(_MINUS):
            raise ValidationError(self.error_messages["negative"], code="negative")
        if not _POUNDS.fullmatch(digits):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        amount = Decimal(digits.replace(",", "")).quantize(PENNY)
        if amount > self.max_value:
            raise ValidationError(self.error_messages["too_much"], code="too_much")
        return amount

    def prepare_value(self, value: Any) -> Any:
        # An amount read back from the database shows as people write it ("75.00", "1,200.50").
        return f"{value:,.2f}" if isinstance(value, Decimal) else value


def money(label: str, *, what: str, required: bool = False, **kwargs: Any) -> MoneyField:
    """An amount of money, named in its error messages ("Enter the time and trouble payment in
    pounds and pence, like £75.00"). Optional unless `required`, as most amounts are."""
    return MoneyField(label=label, what=what, required=required, **kwargs)


def anchor(field: forms.BoundField) -> str:
    """Where the error summary's link for a field points: its first input."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#id_{field.html_name}_1"  # crispy-forms-gds numbers choices from 1
    if isinstance(widget, forms.MultiWidget):
        return f"#{field.auto_id}_0"
    return f"#{field.auto_id}"


class GovForm:
    """Mixed into every form of a page: crispy-forms-gds renders the fields inside a <form> the
    template writes, and domain refusals land next to the fields they are about."""

    label_size: ClassVar[str] = ""
    # The domain's name for a field (from InvalidInput.errors), where it differs from the form's.
    domain_fields: ClassVar[Mapping[str, str]] = {}
    helper_class: ClassVar[type[FormHelper]] = FormHelper

    def setup_helper(self) -> None:
        # The browser's own validation would pre-empt the GOV.UK error summary.
        self.use_required_attribute = False
        helper = self.helper_class()
        helper.form_tag = False
        helper.disable_csrf = True
        if self.label_size:
            helper.label_size = self.label_size
            helper.legend_size = self.label_size
        self.helper = helper

    def field_for(self, key: str) -> str | None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        name = self.domain_fields.get(key, key)
        return name if name in form.fields else None

    def add_domain_errors(self, errors: Mapping[str, str]) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        for key, message in errors.items():
            form.add_error(self.field_for(key), message)

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) for each error, in page order, for the GDS error summary."""
        form: forms.BaseForm = self  # type: ignore[assignment]
        if not form.is_bound or not form.errors:
            return []
        visible = form.visible_fields()
        first = anchor(visible[0]) if visible else "#main-content"
        links = [(first, str(message)) for message in form.non_field_errors()]
        for hidden in form.hidden_fields():
            links += [(first, str(message)) for message in hidden.errors]
        for field in visible:
            row = self.row_of(field.name)
            links += [
                (anchor(field), f"{row}: {message[:1].lower()}{message[1:]}" if row else str(message))
                for message in map(str, field.errors)
            ]
        return links

    def row_of(self, name: str) -> str:
        """The row a field belongs to where a page repeats fields ("Remedy 2"), so the summary's
        message says which one; empty for a field that appears once."""
        return ""


class Form(GovForm, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()


class VersionedForm(Form):
    """A form that changes a complaint: the version it was read at goes back with it, so a
    change made meanwhile by someone else is refused rather than overwritten."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Reload the complaint and try again", "invalid": "Reload the complaint"},
    )
    # When the page was read: a change refused as stale can then say what happened since.
    read_at = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("read_at", clock.now().isoformat())


def submit(
    request: HttpRequest,
    form: GovForm,
    commit: Callable[[], Any],
    *,
    template: str,
    context: dict[str, Any],
    done: Callable[[Any], str],
    message: Callable[[Any], str],
) -> HttpResponse:
    """Call the action once the form is valid; on success say so and go on, otherwise show the
    form again with the action's refusal beside the fields it is about (or in the summary)."""
    if request.method == "POST" and form.is_valid():  # type: ignore[attr-defined]
        try:
            result = commit()
        except NotPermitted:
            raise
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:  # TransitionNotAllowed, StaleVersion
            form.add_error(None, refusal.message)  # type: ignore[attr-defined]
        else:
            messages.success(request, message(result))
            return redirect(done(result))
    return render(request, template, {**context, "form": form, "errors": form.error_links()})


def show(request: HttpRequest, form: GovForm, *, template: str, context: dict[str, Any]) -> HttpResponse:
    """Show a form again without acting, as after a preview or 'Add another'."""
    return render(request, template, {**context, "form": form, "errors": form.error_links()})


def only_errors_for(form: Any, keep: tuple[str, ...]) -> None:
    """A form posted to preview something, not to act: keep only the errors about what the preview
    needs, so the rest of the form is not marked wrong before it was submitted."""
    errors = form.errors
    kept = {name: errors[name] for name in keep if name in errors}
    errors.clear()
    errors.update(kept)
