"""photos.py without an app: each accepted format, each forgery refused with a message naming the file."""
import io

import pytest
from PIL import Image

from support.tickets import photos
from support.tickets.photos import PhotoRejected, Upload

from . import images


@pytest.mark.parametrize("fmt, served_mime, served_format", [
    ("JPEG", "image/jpeg", "JPEG"),      # the common camera format
    ("PNG", "image/png", "PNG"),         # screenshots
    ("WEBP", "image/webp", "WEBP"),      # Android share sheets
    ("HEIF", "image/jpeg", "JPEG"),      # iPhone camera: converted, browsers cannot show HEIC
])
def test_each_format_is_accepted_and_reencoded_without_location(fmt, served_mime, served_format):
    original = images.photo(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825), "the test photo carries a GPS position"
    prepared = photos.check_photo(Upload(f"photo.{fmt.lower()}", original))
    assert prepared.mime_type == served_mime
    served = Image.open(io.BytesIO(prepared.data))
    assert served.format == served_format
    exif = served.getexif()
    assert not exif.get_ifd(0x8825), "the GPS position must not be served"
    assert not exif.get_ifd(0x8769), "no EXIF details are served at all"
    assert str(prepared.taken_at) == "2026-03-02 10:11:12", "the capture time is kept as evidence"
    assert Image.open(io.BytesIO(prepared.thumbnail)).size[0] <= photos.THUMB_SIZE[0]


METADATA = ("comment", "icc_profile", "xmp", "XML:com.adobe.xmp", "Comment", "exif")


@pytest.mark.parametrize("fmt", [
    "JPEG",      # a JPEG comment segment (COM) survived re-encoding: Pillow copies info["comment"] when saving
    "PNG",       # text chunks and the ICC profile (it can name the device)
    "WEBP",      # XMP and ICC chunks
])
def test_all_metadata_but_the_capture_time_is_dropped(fmt):
    prepared = photos.check_photo(Upload(f"photo.{fmt.lower()}", images.with_metadata(fmt)))
    for data in (prepared.data, prepared.thumbnail):
        assert b"SECRET" not in data and b"sRGB" not in data and b"ICC_PROFILE" not in data and b"iCCP" not in data
        served = Image.open(io.BytesIO(data))
        assert not set(served.info) & set(METADATA), served.info
        assert not served.getexif()
    assert str(prepared.taken_at) == "2026-03-02 10:11:12", "the capture time is kept, on the record"
    red, green, _blue = Image.open(io.BytesIO(prepared.data)).convert("RGB").getpixel((5, 5))
    assert red >= 240 and green <= 15, "converted through the profile, the colours stay"


def test_a_line_break_in_a_file_name_is_folded():
    """The name is shown and becomes a download's Content-Disposition: it must be one line."""
    prepared = photos.check_photo(Upload("skada\r\nX-Evil: 1.jpg", images.photo("JPEG")))
    assert prepared.original_name == "skada X-Evil: 1.jpg"


def test_orientation_is_applied():
    prepared = photos.check_photo(Upload("sideways.jpg", images.photo("JPEG", size=(40, 20), orientation=6)))
    assert (prepared.width, prepared.height) == (20, 40)


@pytest.mark.parametrize("name, data, words", [
    ("shell.jpg", images.PHP, "not a photo we can read"),             # the name lies, the content decides
    ("drawing.svg", images.SVG, "not a photo we can read"),           # SVG can carry script: not a photo here
    ("bomb.png", images.png_bomb(), "too many pixels"),               # 10^10 pixels declared in ~80 bytes
    ("half.jpg", images.truncated_jpeg(), "damaged or incomplete"),   # an interrupted upload
    ("huge.jpg", images.huge_file(30), "too large (30 MB)"),          # over the 15 MB per-file limit
    ("empty.jpg", b"", "is empty"),
    ("doc.gif", images.photo("GIF", gps=False, taken=None), "not a photo we can read"),  # a format we do not take
])
def test_forgeries_are_refused_with_the_file_named(name, data, words):
    with pytest.raises(PhotoRejected) as refused:
        photos.check_photo(Upload(name, data))
    assert refused.value.filename == name
    assert name in refused.value.message and words in refused.value.message


def test_all_refusals_are_reported_together_and_count_is_limited():
    good = Upload("ok.jpg", images.photo())
    with pytest.raises(PhotoRejected) as refused:
        photos.check_photos([good, Upload("a.svg", images.SVG), Upload("b.jpg", images.PHP)], required=True)
    assert [r.filename for r in refused.value.rejections] == ["a.svg", "b.jpg"]
    with pytest.raises(PhotoRejected, match="at most 10 photos"):
        photos.check_photos([good] * 11, required=True)
    with pytest.raises(PhotoRejected, match="at least one photo"):
        photos.check_photos([], required=True)
    assert len(photos.check_photos([good] * 10, required=True)) == 10


def test_client_path_is_never_used(tmp_path):
    prepared = photos.check_photo(Upload("../../etc/passwd.jpg", images.photo()))
    assert prepared.original_name == "passwd.jpg"
    stored = photos.store(prepared, "SE-000001", tmp_path)
    assert stored.stored_name.startswith("SE-000001/") and "passwd" not in stored.stored_name
    assert (tmp_path / stored.stored_name).read_bytes() == prepared.data
    with pytest.raises(ValueError):
        photos.path_of("../outside.jpg", tmp_path)
    photos.remove([stored], tmp_path)
    assert not any(tmp_path.rglob("*"))


@pytest.mark.parametrize("data, mime", [
    (b"%PDF-1.7\n...", "application/pdf"),                  # an invoice attached to a mail
    (images.PHP, "application/octet-stream"),               # kept (nothing is lost) but only ever downloaded
    (images.photo("PNG"), "image/png"),                     # a real photo in a mail is treated as one
])
def test_mail_attachments_are_kept_by_content(tmp_path, data, mime):
    stored = photos.store_attachment(Upload("file", data), "NO-000001", tmp_path)
    assert stored.prepared.mime_type == mime
    assert (tmp_path / stored.stored_name).exists()


def test_many_huge_photos_are_refused_before_any_is_decoded(app, monkeypatch):
    """Ten photos just under the per-photo pixel limit once kept a web worker decoding for half a minute."""
    import io
    from PIL import Image
    out = io.BytesIO()
    Image.new("1", (7999, 7999)).save(out, "PNG")          # 64 megapixels in the header, a few kB on the wire
    decoded = []
    monkeypatch.setattr(photos, "_load", lambda *a: decoded.append(a) or pytest.fail("decoded"))
    with pytest.raises(PhotoRejected) as refused:
        photos.check_photos([Upload(f"{n}.png", out.getvalue()) for n in range(10)], required=True)
    assert "639 megapixels" in refused.value.message and not decoded
