"""Mail text for people: HTML sanitised for display, HTML as plain text, quoted history and signatures trimmed.

Display HTML keeps no scripts, styles, forms or images (remote images are tracking pixels; inline cid: images
are stored as attachments and shown from there), and links cannot reach back to the sender's browser context.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
                "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody", "td",
                "tfoot", "th", "thead", "tr", "u", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitise(html: str) -> str:
    """HTML safe to show to an agent: no script, style, image, form or event handler survives."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True,
                     clean_content_tags={"script", "style", "title", "head", "noscript", "template"})


BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol",
          "hr", "pre", "section", "article", "header", "footer"}
SKIPPED = {"script", "style", "head", "title", "noscript", "template"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1
        elif tag in BLOCKS:
            self.out.append("\n")
        if tag == "li":
            self.out.append("- ")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML mail (block elements become line breaks)."""
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; fall back to stripping tags
        return re.sub(r"<[^>]+>", " ", html)
    lines = [line.strip() for line in "".join(parser.out).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Where quoted history starts, in the clients our customers use (Outlook, Gmail, Apple Mail, Thunderbird) in
# Swedish, Norwegian and English.
HISTORY = re.compile(
    r"^\s*(-{2,}\s*(original message|ursprungligt meddelande|opprinnelig melding|forwarded message|"
    r"vidarebefordrat meddelande|videresendt melding)\s*-{2,}"
    r"|_{10,}"
    r"|(on|den|på|am|le)\s.{0,120}\s(wrote|skrev|schrieb|a écrit)\s*:"
    r"|(from|från|fra|von)\s*:\s*.+"
    r"|>.*)\s*$", re.IGNORECASE)
HEADER_BLOCK = re.compile(r"^\s*(sent|skickat|sendt|to|till|til|subject|ämne|emne|date|datum|dato)\s*:", re.I)
SIGNATURE = re.compile(r"^(-- ?|—)$|^(sent from my|skickat från min|sendt fra min)\b", re.IGNORECASE)


# A company's legal footer ("... ansvarar inte för skador orsakade av virus", "if you have received this in
# error, delete it"): two of these in one paragraph, and it is the footer, not the customer
DISCLAIMER = re.compile(
    r"konfidentiell|confidential|fortrolig|sekretess|taushetsplikt|tavshedspligt|privileged|"
    r"avsedd (endast|enbart|bara) för|(solely|only) for the (use of the )?(addressee|recipient|intended)|"
    r"kun (ment )?for (adressat|mottaker)|if you (have )?received (this|it)|om du (har )?fått (detta|det här|"
    r"meddelandet|mejlet)|hvis du (har )?mottatt|hvis du har modtaget|virus|liability|ansvar|disclaimer|radera|"
    r"slett (den|meldingen|e-posten)|slet (den|meddelelsen)|delete (it|this)|notify the sender|meddela avsändaren|"
    r"gi beskjed til avsender", re.IGNORECASE)


def trim(text: str) -> str:
    """The new part of a reply: quoted history, the signature and legal footers removed (the full text is kept
    elsewhere)."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        if SIGNATURE.match(line.rstrip()) or _history_starts(lines, i):
            cut = i
            break
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines[:cut]))
    trimmed = "\n\n".join(p for p in paragraphs if not _footer(p)).strip()
    return trimmed or text.strip()


def _footer(paragraph: str) -> bool:
    return len({m.group(0).lower() for m in DISCLAIMER.finditer(paragraph)}) >= 2


def _history_starts(lines: list[str], i: int) -> bool:
    line = lines[i]
    if not HISTORY.match(line):
        return False
    if re.match(r"^\s*(from|från|fra|von)\s*:", line, re.I):
        # a "From:" line is history only when a header block follows (Outlook), not in the customer's prose
        return any(HEADER_BLOCK.match(nxt) for nxt in lines[i + 1:i + 4])
    if line.lstrip().startswith(">"):
        # a quote block: history when the rest is quotes or blank (inline answers keep their quotes)
        return all(not ln.strip() or ln.lstrip().startswith(">") for ln in lines[i:])
    return True
