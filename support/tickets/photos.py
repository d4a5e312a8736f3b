"""Check, store and open uploaded photos and attachments (web forms and e-mail alike).

A photo is judged by its content (Pillow, a full decode), never by its name or declared type. What is stored and
served carries no metadata (EXIF with location and camera, comments, XMP, ICC); the capture time is kept on the
record as evidence. A JPEG that needs no rotation and no colour conversion keeps its compressed pixels as sent:
only its metadata segments are cut out (jpeg.py), and it is decoded once, at the reduced scale its thumbnail
needs (the decoder's draft mode still reads every byte of the compressed data, so a damaged file fails as
before). Any other photo is decoded in full, turned upright and re-encoded. Files live under
UPLOAD_DIR/<ref>/<uuid>.<ext>; the client's file name is only ever shown.
"""
from __future__ import annotations

import hashlib
import io
import os
import struct
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence

import pillow_heif
from flask import send_file
from flask_babel import gettext as _
from flask_babel import ngettext
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from ..headers import one_line
from . import jpeg

from ..config import Defaults

pillow_heif.register_heif_opener()

# the configured defaults (support/config.py); the app passes its own settings
MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_PIXELS = Defaults.PHOTO_MAX_BYTES, Defaults.PHOTO_MAX_COUNT, Defaults.PHOTO_MAX_PIXELS
MAX_TOTAL_PIXELS = Defaults.PHOTO_MAX_TOTAL_PIXELS
THUMB_SIZE = (320, 320)
# Pillow's format name -> (stored format, extension, MIME type); HEIC is served as JPEG, browsers can't show it
FORMATS = {"JPEG": ("JPEG", "jpg", "image/jpeg"), "PNG": ("PNG", "png", "image/png"),
           "WEBP": ("WEBP", "webp", "image/webp"), "HEIF": ("JPEG", "jpg", "image/jpeg")}
FILE_TYPES = ((b"%PDF-", "pdf", "application/pdf"),)
EXIF_IFD, DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL, DATETIME, ORIENTATION = 0x8769, 36867, 36881, 306, 0x0112
PIXEL_INFO = ("transparency",)     # the one image.info entry that is part of the picture (palette PNGs)
_SRGB = ImageCms.createProfile("sRGB")
# an ICC profile with these primaries (X, Y, Z of red, green, blue) changes nothing when dropped
_SRGB_COLORANTS = tuple(getattr(ImageCms.ImageCmsProfile(_SRGB).profile, f"{c}_colorant")[0]
                        for c in ("red", "green", "blue"))
UNCHANGED_MODES = ("RGB", "L")          # JPEG pixels a browser shows as they are (CMYK is converted)


@dataclass(frozen=True)
class Upload:
    """One uploaded file as plain data: from a form (FileStorage) or a mail part (bytes)."""
    name: str
    data: bytes
    content_type: str | None = None

    @classmethod
    def from_storage(cls, storage) -> Upload:
        """A werkzeug FileStorage read into memory (MAX_CONTENT_LENGTH bounds it)."""
        stream = storage.stream
        if isinstance(stream, io.BytesIO):  # the request keeps uploads in memory (web.Request): no copy of it
            return cls(storage.filename or "", stream.getvalue(), storage.mimetype)
        stream.seek(0)                      # read twice (validation, then intake) gives the same bytes
        return cls(storage.filename or "", stream.read(), storage.mimetype)


class PhotoRejected(ValueError):
    """A file we do not take; `message` names the file and why, in the current locale."""

    def __init__(self, filename: str, message: str, rejections: Sequence[PhotoRejected] = ()):
        super().__init__(message)
        self.filename, self.message = filename, message
        self.rejections = list(rejections) or [self]


@dataclass(frozen=True)
class Prepared:
    """A checked file, ready to write: the bytes to serve, a thumbnail, and the facts to record."""
    original_name: str
    data: bytes
    extension: str
    mime_type: str
    sha256: str                        # of the file as received: proof of what the customer sent
    size: int                          # as received
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None
    taken_at: datetime | None = None   # naive = the camera's wall clock; aware when EXIF gives the offset


@dataclass(frozen=True)
class Stored:
    """A prepared file written under UPLOAD_DIR: the names to record."""
    prepared: Prepared
    stored_name: str
    thumb_name: str | None


def display_name(upload: Upload) -> str:
    """The client's file name without any path, for messages and display only."""
    name = one_line(upload.name.replace("\\", "/").rsplit("/", 1)[-1])   # it is also a Content-Disposition
    return name[:255] or _("unnamed file")


def check_photos(uploads: Sequence[Upload], *, required: bool, limit: int = MAX_PHOTOS,
                 max_bytes: int = MAX_PHOTO_BYTES, max_pixels: int = MAX_PIXELS,
                 max_total_pixels: int = MAX_TOTAL_PIXELS) -> list[Prepared]:
    """Check every photo (all refusals are reported together) and the count; nothing is written.

    The photos' sizes are read from their headers first, before any is decoded: ten photos just under the
    per-photo limit would keep a web worker decoding for half a minute, and a few such requests froze the site.
    """
    uploads = [u for u in uploads if u.name or u.data]
    if required and not uploads:
        raise PhotoRejected("", _("Please add at least one photo of the damage."))
    if len(uploads) > limit:
        raise PhotoRejected("", ngettext("You can send at most %(num)d photo at a time.",
                                         "You can send at most %(num)d photos at a time.", limit))
    total = sum(_declared_pixels(u.data) for u in uploads)
    if total > max_total_pixels:
        raise PhotoRejected("", _("Together the photos are too large to process (%(total)d megapixels; at most "
                                  "%(limit)d). Please send fewer or smaller photos.",
                                  total=total // 1_000_000, limit=max_total_pixels // 1_000_000))
    prepared, refused = [], []
    for upload in uploads:
        try:
            prepared.append(check_photo(upload, max_bytes=max_bytes, max_pixels=max_pixels))
        except PhotoRejected as exc:
            refused.append(exc)
    if refused:
        raise PhotoRejected(refused[0].filename, refused[0].message, refused)
    return prepared


def _declared_pixels(data: bytes) -> int:
    """Width x height as the file's header states it (nothing decoded); 0 when unreadable (refused later)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                return image.width * image.height
    except Exception:  # noqa: BLE001 - any unreadable header: the full check refuses the file with its reason
        return 0


def check_photo(upload: Upload, *, max_bytes: int = MAX_PHOTO_BYTES, max_pixels: int = MAX_PIXELS) -> Prepared:
    """One photo checked by content and re-encoded without EXIF; raises PhotoRejected."""
    name = display_name(upload)
    if len(upload.data) > max_bytes:
        raise PhotoRejected(name, _("%(name)s is too large (%(size)s MB); a photo may be at most %(limit)s MB.",
                                    name=name, size=_megabytes(len(upload.data)), limit=_megabytes(max_bytes)))
    if not upload.data:
        raise PhotoRejected(name, _("%(name)s is empty.", name=name))
    image = _open(upload.data, name, max_pixels)
    stored_format, extension, mime = FORMATS[image.format]
    taken_at, orientation = _exif_facts(image)
    kept = _without_metadata_segments(upload.data, image, orientation)
    size = image.size
    if kept is not None:                # upright already: the pixels as sent, decoded once for the thumbnail
        image.draft(image.mode, THUMB_SIZE)
        _load(image, name)
        image.info = {}                 # nothing of the file's metadata reaches the thumbnail
        data = kept
    else:
        _load(image, name)
        image = _without_metadata(_upright(image, orientation))
        data, size = _encode(image, stored_format), image.size
    return Prepared(name, data, extension, mime, hashlib.sha256(upload.data).hexdigest(), len(upload.data),
                    _thumbnail(image), *size, taken_at)


def _exif_facts(image: Image.Image) -> tuple[datetime | None, int | None]:
    """Capture time and orientation from EXIF; damaged EXIF counts as none (the pixels are still evidence)."""
    try:
        with warnings.catch_warnings():     # Pillow warns as it skips broken tags: what it skips is simply absent
            warnings.simplefilter("ignore")
            exif = image.getexif()
            return capture_time(exif), exif.get(ORIENTATION)
    except (SyntaxError, ValueError, OSError, struct.error):
        return None, None


def _upright(image: Image.Image, orientation: int | None) -> Image.Image:
    """The decoded photo turned as its EXIF orientation says (damaged EXIF: as it is)."""
    if orientation in (None, 1):
        return image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, OSError, struct.error):
        return image


def _without_metadata_segments(data: bytes, image: Image.Image, orientation: int | None) -> bytes | None:
    """A JPEG's bytes with its metadata segments cut out, when nothing else about it must change; else None.

    Not for a photo to be turned (orientation other than 1), one whose ICC profile is not sRGB (its colours
    must be converted), CMYK, or one jpeg.strip does not understand: those are re-encoded.
    """
    if image.format != "JPEG" or orientation not in (None, 1) or image.mode not in UNCHANGED_MODES:
        return None
    icc = image.info.get("icc_profile")
    if icc and not _is_srgb(icc):
        return None
    try:
        return jpeg.strip(data)                   # nothing to cut: the very bytes the customer sent
    except jpeg.Unsupported:
        return None


def _is_srgb(icc: bytes) -> bool:
    """Whether an ICC profile has sRGB's primaries, so that the pixels mean the same without it."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile
        found = [getattr(profile, f"{c}_colorant")[0] for c in ("red", "green", "blue")]
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError, IndexError):
        return False
    return all(f is not None and all(abs(a - b) < 0.002 for a, b in zip(f, s))
               for f, s in zip(found, _SRGB_COLORANTS))


def _without_metadata(image: Image.Image) -> Image.Image:
    """The pixels alone: no comment, XMP, text chunks or ICC profile reach the stored file or its thumbnail.

    Pillow's savers copy some of these from image.info (a JPEG comment survived re-encoding, a PNG its ICC
    profile). A profile can name the device, so it goes too, after the colours are converted to sRGB with it:
    dropping a wide-gamut profile alone would make the photo look washed out. The capture time is kept on the
    record (capture_time), not in the file.
    """
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA"):
        try:
            image = ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB,
                                              outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass                        # a broken profile: the pixels as they are (most such files are sRGB)
    image.info = {k: v for k, v in image.info.items() if k in PIXEL_INFO}
    return image


def _open(data: bytes, name: str, max_pixels: int) -> Image.Image:
    """Read the header, refusing other formats and bombs (nothing is decoded yet)."""
    unreadable = PhotoRejected(name, _("%(name)s is not a photo we can read. Please send JPEG, PNG, WebP or HEIC "
                                       "images.", name=name))
    bomb = _bomb(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")             # Pillow's notes on metadata it skips
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))        # reads the header only
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise bomb from None
        except UnidentifiedImageError:
            raise unreadable from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise _damaged(name) from None
    if image.format not in FORMATS:
        raise unreadable
    if image.width * image.height > max_pixels:
        raise bomb
    return image


def _load(image: Image.Image, name: str) -> None:
    """Decode (in full, or at the scale a draft set): truncated or corrupt data fails here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _bomb(name) from None
        except (OSError, ValueError, SyntaxError, EOFError):
            raise _damaged(name) from None


def _bomb(name: str) -> PhotoRejected:
    return PhotoRejected(name, _("%(name)s has too many pixels to be processed safely.", name=name))


def _damaged(name: str) -> PhotoRejected:
    return PhotoRejected(name, _("%(name)s is damaged or incomplete. Please take or send it again.", name=name))


def _encode(image: Image.Image, stored_format: str) -> bytes:
    """Re-encode without metadata: no exif= argument means no EXIF, so no GPS position or camera serial."""
    out = io.BytesIO()
    if stored_format == "JPEG":
        _flatten(image).save(out, "JPEG", quality=90, optimize=True)
    elif stored_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=90)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    canvas = Image.new("RGB", rgba.size, "white")
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    return canvas


def _thumbnail(image: Image.Image) -> bytes:
    # resize() makes a new image, so the photo needs no copy first; bilinear: at the draft decode's reduced
    # scale, bicubic's wider filter cost 40% more for a difference no one sees in a 320-pixel preview
    thumb = _flatten(image)
    if thumb.width > THUMB_SIZE[0] or thumb.height > THUMB_SIZE[1]:
        thumb = thumb.resize(_fitted(thumb.size, THUMB_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


def _fitted(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """`size` scaled down to fit `box`, its aspect ratio kept (as Image.thumbnail computes it)."""
    scale = min(box[0] / size[0], box[1] / size[1])
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def capture_time(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal (aware when OffsetTimeOriginal is set), else DateTime; None when absent or malformed."""
    details = exif.get_ifd(EXIF_IFD)
    value = details.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    try:
        taken = datetime.strptime(str(value).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = str(details.get(OFFSET_TIME_ORIGINAL) or "")
    if len(offset) == 6 and offset[0] in "+-" and offset[3] == ":":
        try:
            minutes = int(offset[1:3]) * 60 + int(offset[4:6])
        except ValueError:
            return taken
        sign = -1 if offset[0] == "-" else 1
        return taken.replace(tzinfo=timezone(sign * timedelta(minutes=minutes)))
    return taken


def prepare_attachment(upload: Upload, *, max_bytes: int = MAX_PHOTO_BYTES) -> Prepared:
    """A non-photo attachment of a mail (PDF and the like): kept as received, only ever served as a download."""
    name = display_name(upload)
    if len(upload.data) > max_bytes:
        raise PhotoRejected(name, _("%(name)s is too large (%(size)s MB); a file may be at most %(limit)s MB.",
                                    name=name, size=_megabytes(len(upload.data)), limit=_megabytes(max_bytes)))
    extension, mime = next(((ext, m) for magic, ext, m in FILE_TYPES if upload.data.startswith(magic)),
                           ("bin", "application/octet-stream"))
    return Prepared(name, upload.data, extension, mime, hashlib.sha256(upload.data).hexdigest(), len(upload.data))


def prepare_any(upload: Upload, *, max_bytes: int = MAX_PHOTO_BYTES, max_pixels: int = MAX_PIXELS) -> Prepared:
    """For mail, where nothing may be lost: a readable photo is re-encoded, anything else kept as a file."""
    try:
        return check_photo(upload, max_bytes=max_bytes, max_pixels=max_pixels)
    except PhotoRejected:
        return prepare_attachment(upload, max_bytes=max_bytes)


def store(prepared: Prepared, ref: str, upload_dir: str | os.PathLike) -> Stored:
    """Write one prepared file (and its thumbnail) under a random name in the ticket's folder."""
    folder = Path(upload_dir) / ref
    folder.mkdir(parents=True, exist_ok=True)
    stem = uuid.uuid4().hex
    stored_name = f"{ref}/{stem}.{prepared.extension}"
    _write(Path(upload_dir) / stored_name, prepared.data)
    thumb_name = None
    if prepared.thumbnail is not None:
        thumb_name = f"{ref}/{stem}.thumb.jpg"
        _write(Path(upload_dir) / thumb_name, prepared.thumbnail)
    return Stored(prepared, stored_name, thumb_name)


def store_attachment(upload: Upload, ref: str, upload_dir: str | os.PathLike) -> Stored:
    """Check (by content) and write one mail attachment; the caller records it and removes it on rollback."""
    return store(prepare_any(upload), ref, upload_dir)


def _write(path: Path, data: bytes) -> None:
    # "xb": a random name never overwrites; a collision is a bug worth an error
    with open(path, "xb") as handle:
        handle.write(data)


def remove(stored: Sequence[Stored], upload_dir: str | os.PathLike) -> None:
    """Delete written files again (their transaction failed); missing files are fine."""
    for item in stored:
        for name in (item.stored_name, item.thumb_name):
            if name:
                (Path(upload_dir) / name).unlink(missing_ok=True)
    for folder in {(Path(upload_dir) / item.stored_name).parent for item in stored}:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def path_of(stored_name: str, upload_dir: str | os.PathLike) -> Path:
    """The file of a recorded name, refusing anything that would leave UPLOAD_DIR."""
    root = Path(upload_dir).resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise ValueError(f"stored name {stored_name!r} leaves the upload directory")
    return path


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 10 * 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


def file_response(item, *, thumb: bool, upload_dir: str | os.PathLike):
    """Send a stored file (or its thumbnail) after the caller has checked access; never cached by others."""
    thumb = thumb and bool(item.thumb_name)
    path = path_of(item.thumb_name if thumb else item.stored_name, upload_dir)
    # the name goes into the Content-Disposition header: a line break in a stored name failed every download
    response = send_file(path, mimetype="image/jpeg" if thumb else item.mime_type, max_age=0,
                         as_attachment=not item.is_image, download_name=one_line(item.original_name) or "file")
    response.headers["Cache-Control"] = "private, no-store"
    if not item.is_image:               # a PDF viewer in the browser runs nothing of the file's: no script, no forms
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
