"""Test images made on the fly: every accepted format, and the forgeries photos.py must refuse; and real PDFs."""
import io
import struct
import zlib

import pillow_heif
from PIL import Image
from pypdf import PdfWriter

pillow_heif.register_heif_opener()

GPS_IFD, EXIF_IFD, ORIENTATION, DATETIME_ORIGINAL = 0x8825, 0x8769, 0x0112, 36867


def photo(fmt: str = "JPEG", size=(60, 40), color="red", *, taken="2026:03:02 10:11:12", gps=True,
          orientation=None) -> bytes:
    """A small photo in `fmt` with EXIF capture time, a GPS position and optionally an orientation."""
    exif = Image.Exif()
    if taken:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (59.0, 20.0, 0.0), 3: "E", 4: (18.0, 4.0, 0.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    image = Image.new("RGBA" if fmt in ("PNG", "WEBP") else "RGB", size, color)
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def png_bomb(width=100_000, height=100_000) -> bytes:
    """A PNG declaring 10^10 pixels in a few dozen bytes: the header alone must get it refused."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)      # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


PHP = b"<?php system($_GET['cmd']); ?>\n"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10"/></svg>')


def truncated_jpeg() -> bytes:
    data = photo("JPEG", size=(400, 300), color="blue")
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")      # noise: a JPEG with real entropy data
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    data = out.getvalue()
    return data[: len(data) // 2]


def huge_file(megabytes=30) -> bytes:
    """A valid JPEG start padded to `megabytes`: refused for its size before any decoding."""
    return photo("JPEG") + b"\x00" * (megabytes * 1024 * 1024)


XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description>SECRET-XMP</rdf:Description></rdf:RDF></x:xmpmeta>')


def with_metadata(fmt: str) -> bytes:
    """A photo carrying every kind of metadata its format holds besides EXIF: comment, XMP, text, ICC profile."""
    from PIL import ImageCms, PngImagePlugin
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = "2026:03:02 10:11:12"
    out = io.BytesIO()
    if fmt == "JPEG":
        Image.new("RGB", (60, 40), "red").save(out, "JPEG", comment=b"SECRET-COMMENT", icc_profile=icc,
                                               xmp=XMP.encode(), exif=exif.tobytes())
    elif fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "SECRET-TEXT")
        text.add_itxt("XML:com.adobe.xmp", XMP)
        Image.new("RGBA", (60, 40), "red").save(out, "PNG", pnginfo=text, icc_profile=icc, exif=exif.tobytes())
    else:
        Image.new("RGBA", (60, 40), "red").save(out, fmt, icc_profile=icc, xmp=XMP.encode(), exif=exif.tobytes())
    return out.getvalue()


def swapped_primaries_icc() -> bytes:
    """An RGB profile that is not sRGB: sRGB's with the red and green primaries swapped, so that a photo's red
    means green. Only converting through the profile keeps the colours; dropping it would not."""
    from PIL import ImageCms
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", icc[128:132])[0]
    tags = dict((sig, (offset, size)) for sig, offset, size in
                (struct.unpack(">4sII", icc[132 + 12 * i:144 + 12 * i]) for i in range(count)))
    (r, r_size), (g, g_size) = tags[b"rXYZ"], tags[b"gXYZ"]
    red, green = bytes(icc[r:r + r_size]), bytes(icc[g:g + g_size])
    icc[r:r + r_size], icc[g:g + g_size] = green, red
    return bytes(icc)


def scan_data(data: bytes) -> bytes:
    """A JPEG from its first start-of-scan marker to its end marker: the compressed pixels."""
    return data[data.index(b"\xff\xda"):data.index(b"\xff\xd9", data.index(b"\xff\xda")) + 2]


def pdf(pages=1, *, password=None, padding=0) -> bytes:
    """A real PDF of blank A4 pages (uploads are parsed with pypdf: anything else named .pdf is refused)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    if padding:                         # a big scan: bulk in a metadata stream keeps it a valid PDF
        writer.add_metadata({"/Padding": "x" * padding})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
