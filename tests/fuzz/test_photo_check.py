"""Fuzzing the upload checks: any bytes give a re-encoded photo or PhotoRejected, never another exception.

A photo that passes must be a real, readable image within the pixel limit, of an allowed type. FUZZ_EXAMPLES
(default 150) sets the examples per property.
"""
import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from support import create_app
from support.tickets.photos import FORMATS, PhotoRejected, Upload, check_photo

from ..tickets.images import photo, png_bomb, truncated_jpeg, with_metadata
from ._corpus import cases, keep

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MAX_PIXELS = 4_000_000
SEEDS = {"JPEG": photo("JPEG"), "PNG": photo("PNG"), "WEBP": photo("WEBP"), "HEIF": photo("HEIF"),
         "bomb": png_bomb(), "truncated": truncated_jpeg(), "JPEG-comment": with_metadata("JPEG"),
         "PNG-text": with_metadata("PNG")}
METADATA = ("exif", "comment", "icc_profile", "xmp", "XML:com.adobe.xmp", "Comment")
ALLOWED_MIME = {mime for _fmt, _ext, mime in FORMATS.values()}


@pytest.fixture(scope="module", autouse=True)
def request_context():
    """Refusal messages are translated, so the checks run inside a request (no database needed)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/en/"):
        yield


def check(data: bytes, name: str = "photo.jpg", *, save: bool = True) -> None:
    """The property; an unexpected exception keeps a new input in the corpus before failing."""
    try:
        prepared = check_photo(Upload(name, data, "image/jpeg"), max_pixels=MAX_PIXELS)
    except PhotoRejected as refused:
        assert refused.message and refused.filename
        return
    except Exception:
        if save:
            keep("photos", data)
        raise
    assert prepared.mime_type in ALLOWED_MIME and prepared.size == len(data)
    assert prepared.width * prepared.height <= MAX_PIXELS
    with Image.open(io.BytesIO(prepared.data)) as stored:       # what is served is a clean, readable image
        stored.load()
        assert stored.format in ("JPEG", "PNG", "WEBP") and not set(stored.info) & set(METADATA)
    assert "\n" not in prepared.original_name and "\r" not in prepared.original_name   # a header value too


@st.composite
def mutated(draw) -> bytes:
    """A valid photo (or a known-bad seed) with bytes flipped, inserted, deleted or cut off."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut", "header"]))
        if action == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif action == "delete" and at < len(data):
            del data[at:at + draw(st.integers(1, 16))]
        elif action == "cut":
            del data[at:]
        elif action == "header":               # the dimensions and lengths live in the first bytes
            data[draw(st.integers(0, min(40, len(data))))::][:4] = draw(st.binary(min_size=4, max_size=4))
    return bytes(data)


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes(data):
    check(data)


@FUZZ
@given(st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ",
                        b"\x00\x00\x00\x18ftypheic"]), st.binary(max_size=3000))
def test_magic_bytes_then_garbage(magic, rest):
    check(magic + rest)


@FUZZ
@given(mutated())
def test_mutated_photos(data):
    check(data)


@FUZZ
@given(st.text(max_size=300))
def test_any_file_name(name):
    check(SEEDS["PNG"], name)


@pytest.mark.parametrize("path", cases("photos"), ids=lambda p: p.name)
def test_corpus(path):
    check(path.read_bytes(), save=False)
