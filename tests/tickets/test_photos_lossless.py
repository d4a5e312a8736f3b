"""photos.py keeps an upright JPEG's compressed pixels as sent and cuts out only its metadata (jpeg.py); a photo
that must change (turned, another colour profile, another format) is re-encoded as before. Without an app."""
import io

import pytest
from PIL import Image

from support.tickets import jpeg, photos
from support.tickets.photos import PhotoRejected, Upload

from . import images

GPS_IFD = 0x8825


def decoded(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).convert("RGB").tobytes()


def test_an_upright_jpeg_keeps_its_pixels_byte_for_byte_and_loses_its_location():
    original = images.photo("JPEG", size=(600, 400))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD), "the test photo carries a GPS position"
    prepared = photos.check_photo(Upload("skada.jpg", original))
    assert images.scan_data(prepared.data) == images.scan_data(original), "the compressed pixels are as sent"
    assert decoded(prepared.data) == decoded(original)
    served = Image.open(io.BytesIO(prepared.data))
    assert not served.getexif(), "no EXIF at all: no GPS position, no camera"
    assert b"Exif" not in prepared.data
    assert str(prepared.taken_at) == "2026-03-02 10:11:12", "the capture time is kept, on the record"
    assert (prepared.width, prepared.height) == (600, 400)
    assert prepared.sha256 != "" and prepared.size == len(original), "the record describes the file as received"


def test_comment_xmp_and_an_srgb_profile_are_cut_out_without_re_encoding():
    original = images.with_metadata("JPEG")
    prepared = photos.check_photo(Upload("skada.jpg", original))
    assert images.scan_data(prepared.data) == images.scan_data(original)
    for secret in (b"SECRET", b"ICC_PROFILE", b"sRGB", b"xmpmeta", b"Exif"):
        assert secret not in prepared.data and secret not in prepared.thumbnail
    assert str(prepared.taken_at) == "2026-03-02 10:11:12"


def test_a_jpeg_without_metadata_is_stored_exactly_as_sent():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, "JPEG", quality=85)
    original = out.getvalue()
    prepared = photos.check_photo(Upload("plain.jpg", original))
    assert prepared.data == original
    assert prepared.taken_at is None


def test_a_turned_jpeg_is_re_encoded_upright_without_location():
    original = images.photo("JPEG", size=(40, 20), orientation=6)
    prepared = photos.check_photo(Upload("sideways.jpg", original))
    assert (prepared.width, prepared.height) == (20, 40)
    assert Image.open(io.BytesIO(prepared.data)).size == (20, 40), "the stored file itself is upright"
    assert not Image.open(io.BytesIO(prepared.data)).getexif(), "no orientation tag left to turn it twice"
    assert images.scan_data(prepared.data) != images.scan_data(original)
    assert str(prepared.taken_at) == "2026-03-02 10:11:12"


def test_orientation_1_needs_no_turning_and_keeps_the_pixels():
    original = images.photo("JPEG", size=(40, 20), orientation=1)
    prepared = photos.check_photo(Upload("upright.jpg", original))
    assert (prepared.width, prepared.height) == (40, 20)
    assert images.scan_data(prepared.data) == images.scan_data(original)


def test_a_profile_that_is_not_srgb_is_applied_not_dropped():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (255, 0, 0)).save(out, "JPEG", icc_profile=images.swapped_primaries_icc())
    prepared = photos.check_photo(Upload("wide.jpg", out.getvalue()))
    assert b"ICC_PROFILE" not in prepared.data
    red, green, _blue = Image.open(io.BytesIO(prepared.data)).convert("RGB").getpixel((5, 5))
    assert green >= 200 and red <= 60, "the pixels were converted through the profile (its red means green)"


def test_what_follows_the_end_marker_is_dropped():
    """A phone's second picture (a depth map, a preview) follows the first with EXIF and GPS of its own."""
    second = images.photo("JPEG", size=(30, 20))
    original = images.photo("JPEG", size=(60, 40), gps=False) + second
    prepared = photos.check_photo(Upload("two.jpg", original))
    assert second not in prepared.data and b"Exif" not in prepared.data
    assert prepared.data.endswith(b"\xff\xd9") and prepared.data.count(b"\xff\xd8") == 1


def test_the_thumbnail_of_a_large_photo_is_made_at_reduced_scale():
    original = images.photo("JPEG", size=(2000, 1500), color="green")
    prepared = photos.check_photo(Upload("big.jpg", original))
    thumb = Image.open(io.BytesIO(prepared.thumbnail))
    assert thumb.size == (320, 240) and thumb.format == "JPEG"
    red, green, blue = thumb.convert("RGB").getpixel((100, 100))
    assert green > 100 and red < 30 and blue < 30
    assert not thumb.getexif() and "comment" not in thumb.info
    assert (prepared.width, prepared.height) == (2000, 1500), "the record has the photo's own size"


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_truncated_jpeg_with_metadata_is_still_refused(cut):
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95, exif=_gps_exif())
    data = out.getvalue()
    with pytest.raises(PhotoRejected, match="damaged or incomplete"):
        photos.check_photo(Upload("half.jpg", data[:int(len(data) * cut)]))


def test_mail_attachments_take_the_same_path(tmp_path):
    original = images.photo("JPEG", size=(300, 200))
    stored = photos.store_attachment(Upload("IMG_0001.JPG", original), "SE-000001", tmp_path)
    served = (tmp_path / stored.stored_name).read_bytes()
    assert images.scan_data(served) == images.scan_data(original) and not Image.open(io.BytesIO(served)).getexif()
    assert stored.prepared.taken_at is not None and stored.thumb_name


# --- jpeg.strip itself ---

def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (59.0, 20.0, 0.0)})
    return exif.tobytes()


def _jpeg(**save) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((96, 64), 60).convert("RGB").save(out, "JPEG", **save)
    return out.getvalue()


@pytest.mark.parametrize("save", [
    {"progressive": True},                        # several scans, Huffman tables between them
    {"restart_marker_blocks": 1},                 # RSTn markers inside the compressed data
    {"subsampling": 0, "quality": 100},
])
def test_strip_keeps_every_kind_of_huffman_jpeg_decodable_and_identical(save):
    original = _jpeg(**save, exif=_gps_exif(), comment=b"SECRET")
    stripped = jpeg.strip(original)
    assert b"SECRET" not in stripped and b"Exif" not in stripped and decoded(stripped) == decoded(original)
    if "restart_marker_blocks" in save:
        assert b"\xff\xd0" in stripped, "the restart markers are there, and kept"


def test_fill_bytes_before_a_marker_are_understood():
    original = _jpeg()
    padded = original.replace(b"\xff\xda", b"\xff\xff\xff\xda", 1)
    assert decoded(jpeg.strip(padded)) == decoded(original)


def test_strip_hands_back_a_jpeg_with_nothing_to_cut_itself_and_copies_only_when_it_cuts():
    original = _jpeg()
    assert jpeg.strip(original) is original, "no copy of a photo that has nothing to lose"
    with_comment = original.replace(b"\xff\xdb", b"\xff\xfe\x00\x08SECRET\xff\xdb", 1)
    for cut in (original.replace(b"\xff\xda", b"\xff\xff\xda", 1),   # a fill byte
                original + b"trailer",                                   # what follows the end marker
                with_comment):                                           # a metadata segment
        stripped = jpeg.strip(cut)
        assert stripped is not cut and stripped == original and decoded(stripped) == decoded(original)


@pytest.mark.parametrize("data, reason", [
    (b"GIF89a...", "not a JPEG"),
    (_jpeg()[:200], "cut off in the headers"),
    (_jpeg().replace(b"\xff\xc0", b"\xff\xc9", 1), "arithmetic coding: left to the re-encoding"),
    (_jpeg()[:2] + b"\xff\xe1\xff\xff" + b"\x00" * 10, "a segment longer than the file"),
    (_jpeg().rsplit(b"\xff\xd9", 1)[0], "no end of the compressed data"),
])
def test_strip_gives_up_on_what_it_does_not_understand(data, reason):
    with pytest.raises(jpeg.Unsupported):
        jpeg.strip(data)
