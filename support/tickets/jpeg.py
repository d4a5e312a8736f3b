"""A JPEG's metadata taken out without touching its pixels: the marker segments are rewritten, the compressed
image data is copied byte for byte.

Re-encoding a photo only to drop its EXIF cost most of a damage report's time and a little of its quality. A
JPEG is a sequence of marker segments; the metadata lives in its own segments (APP1 EXIF with the GPS position
and the camera's serial, APP1 XMP, APP2 ICC profile and FlashPix, APP13 Photoshop/IPTC, other APPn of the
camera makers, COM comments), apart from the segments that describe the picture (quantisation and Huffman
tables, frame and scan headers, restart interval). `strip` keeps only the latter, plus a plain JFIF header and
Adobe's colour-transform flag (both say how to read the pixels, nothing about who took them), and ends the file
at the first image's end marker: whatever follows it (a phone's second picture or depth map with EXIF of its
own, a "motion photo" video) is gone too. Anything it does not understand makes it give up (None), and the
caller re-encodes as before.
"""
from __future__ import annotations

import re

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
# frame headers of Huffman-coded 8/12-bit JPEGs: baseline, extended sequential, progressive; every browser shows
# them (arithmetic coding, lossless and hierarchical JPEG are left to the re-encoding)
HUFFMAN_FRAMES = {0xC0, 0xC1, 0xC2}
PICTURE = {0xC4, 0xDB, 0xDD}            # Huffman tables, quantisation tables, restart interval
APP0, APP14, COM = 0xE0, 0xEE, 0xFE
JFIF_PLAIN = re.compile(rb"JFIF\x00[\x01\x02].{6}\x00\x00", re.DOTALL)  # version, density; no embedded thumbnail
# inside the compressed data a 0xFF byte is followed by 0x00 (stuffing) or a restart marker: anything else
# is the next marker
NEXT_MARKER = re.compile(rb"\xff(?=[^\x00\xd0-\xd7\xff])")


class Unsupported(ValueError):
    """A JPEG this module does not rewrite (the caller re-encodes it)."""


def strip(data: bytes) -> bytes:
    """The JPEG without metadata segments and without anything after its end marker; raises Unsupported.
    With nothing to cut, `data` itself (not a copy).

    An ICC profile goes too: the caller sends a photo whose profile matters (not sRGB) to the re-encoding,
    which converts its colours first.
    """
    if data[:2] != b"\xff\xd8":
        raise Unsupported("no start-of-image marker")
    # the pieces kept, in order and apart; the compressed data (nearly all of a photo) as views, not copies
    out, pos, framed, view = [b"\xff\xd8"], 2, False, memoryview(data)
    while True:
        marker, pos = _marker_at(data, pos)
        if marker == EOI:
            out.append(b"\xff\xd9")
            if pos == len(data) and sum(map(len, out)) == len(data):   # every byte kept: nothing was cut
                return data
            return b"".join(out)
        length = _length(data, pos)
        segment, body = data[pos - 2:pos + length], data[pos + 2:pos + length]
        pos += length
        if marker in HUFFMAN_FRAMES:
            if framed or body[:1] != b"\x08":       # one frame, 8-bit samples (what browsers and Pillow decode)
                raise Unsupported("a second frame or a sample precision other than 8 bits")
            framed = True
            out.append(segment)
        elif 0xC0 <= marker <= 0xCF and marker not in PICTURE:
            raise Unsupported(f"frame type {marker:#x}")        # arithmetic, lossless, hierarchical
        elif marker in PICTURE:
            out.append(segment)
        elif marker == SOS:
            if not framed:
                raise Unsupported("a scan before the frame header")
            end = _scan_end(data, pos)
            out.append(view[pos - 2 - length:end])          # the scan header and its compressed data, as they are
            pos = end
        elif _harmless(marker, body):
            out.append(segment)
        elif not (0xE0 <= marker <= 0xEF or marker == COM):
            raise Unsupported(f"marker {marker:#x}")
        # else: metadata, dropped


def _harmless(marker: int, body: bytes) -> bool:
    """A segment that says how to read the pixels and nothing about the photo's origin."""
    if marker == APP0:
        return JFIF_PLAIN.fullmatch(body) is not None
    return marker == APP14 and body.startswith(b"Adobe") and len(body) == 12   # version, flags, colour transform


def _marker_at(data: bytes, pos: int) -> tuple[int, int]:
    """The marker at `pos` (fill bytes 0xFF skipped) and the position after it."""
    if data[pos:pos + 1] != b"\xff":
        raise Unsupported(f"no marker at byte {pos}")
    while data[pos:pos + 1] == b"\xff":
        pos += 1
    if pos >= len(data):
        raise Unsupported("the file ends inside a marker")
    return data[pos], pos + 1


def _length(data: bytes, pos: int) -> int:
    if pos + 2 > len(data):
        raise Unsupported("the file ends inside a segment header")
    length = int.from_bytes(data[pos:pos + 2], "big")
    if length < 2 or pos + length > len(data):
        raise Unsupported("a segment runs past the end of the file")
    return length


def _scan_end(data: bytes, pos: int) -> int:
    """Where a scan's compressed data ends: at the next marker that is not a restart marker."""
    found = NEXT_MARKER.search(data, pos)
    if found is None:
        raise Unsupported("the compressed data has no end")
    return found.start()

