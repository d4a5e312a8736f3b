"""Text that ends up in a mail header (or an HTTP header): one line, no control characters.

A header value with a line break either ends the header and starts a forged one (`Hej\\nBcc: ...`) or makes the
mail library refuse the whole message. Browsers never send a line break in a one-line input, so one that arrives
was sent by a script; it is folded to a space where the text enters (the forms) and again where a header is
built (the outbox sender, file downloads), so a value stored before this rule still cannot break anything.
"""
import re

# the C0 and C1 controls (CR, LF, TAB, NUL ...) and the Unicode line and paragraph separators
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value: str | None) -> str:
    """`value` on one line: every run of control characters becomes one space."""
    return _CONTROLS.sub(" ", value).strip() if value else ""
