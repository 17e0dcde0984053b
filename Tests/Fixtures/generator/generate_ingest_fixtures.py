#!/usr/bin/env python3
"""Writes Tests/Fixtures/ingest/: small PDFs, TIFFs, PNGs and JPEGs for DocumentIngest and
`palidoc render` tests, plus the pixels each raster file must decode to.

PDFs are written byte by byte here (objects, xref, trailer), so every variant is exact:
rotated pages, mixed page sizes, an RC4-encrypted file, zero pages, absurd page sizes, and
damaged copies. Raster files come from Pillow (strips; LZW, Deflate, JPEG, PackBits, CCITT
G3/G4 through its libtiff) and tifffile (tiles, 16-bit, centimetre resolution).

Reference pixels (`<name>.rgb`: raw 8-bit RGB, row-major, pages concatenated) are computed
from the arrays written, with the conversions palidoc specifies:
  * grey, palette, RGB: as stored; bilevel: 0 → black, 1 → white;
  * 16-bit: RGB round(v / 257) (libtiff's 16→8 table); grey v >> 8 (libtiff's grey map);
  * alpha (unassociated): colour premultiplied round(v·a/255), then composited onto white
    by adding 255 − a;
  * CMYK: R = floor((255 − C)(255 − K)/255) (libtiff's naive formula, no colour management);
  * Orientation tag / EXIF orientation: as PIL's ImageOps.exif_transpose shows it;
  * JPEG: Pillow's own decode (lossy codec; tests allow a small tolerance).
manifest.json lists every file with its SHA-256, the expected page count, sizes, DPI and
tolerance, and the library versions used.

Run: python3 Tests/Fixtures/generator/generate_ingest_fixtures.py
"""
import hashlib
import io
import json
import pathlib
import struct
import zlib

import numpy as np
import PIL
import tifffile
from PIL import Image, ImageOps, features

OUT = pathlib.Path(__file__).resolve().parent.parent / "ingest"
RNG = np.random.default_rng(20261129)
manifest = {"generator": "generate_ingest_fixtures.py",
            "versions": {"numpy": np.__version__, "pillow": PIL.__version__,
                         "pillow-libtiff": features.version("libtiff"),
                         "tifffile": tifffile.__version__},
            "files": {}}


def record(name, data, **facts):
    (OUT / name).write_bytes(data)
    entry = {"sha256": hashlib.sha256(data).hexdigest()}
    entry.update(facts)
    manifest["files"][name] = entry


# ---------------------------------------------------------------- PDF writing

def pdf_bytes(objects, extra_trailer=b""):
    """objects[i] is the body of object i+1; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, extra_trailer, xref)
    return bytes(out)


def stream(content, compress=True, extra=b""):
    data = zlib.compress(content, 9) if compress else content
    filt = b"/Filter /FlateDecode " if compress else b""
    return b"<< /Length %d %s%s>>\nstream\n" % (len(data), filt, extra) + data + b"\nendstream"


def text_lines(x, y, size, lines, font=b"/F1"):
    ops = [b"BT %s %d Tf %d TL %d %d Td" % (font, size, int(size * 1.3), x, y)]
    for line in lines:
        ops.append(b"(%s) Tj T*" % line.encode("latin-1"))
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


LOREM = ["Invoice 2026-0412 for palidoc test documents",
         "Quantity  Description              Unit price   Total",
         "3         Scanner calibration card     12.50      37.50",
         "1         Archive box, acid free        8.20       8.20",
         "The quick brown fox jumps over the lazy dog 0123456789.",
         "Sphinx of black quartz, judge my vow! (ligatures: fi fl ffi)"]


def vector_art(x, y):
    return (b"q 0.2 0.4 0.8 rg %d %d 120 60 re f Q\n" % (x, y)
            + b"q 0.9 0.1 0.1 RG 2 w %d %d m %d %d l S Q\n" % (x, y - 20, x + 200, y + 80)
            + b"q 0 0 0 RG 0.25 w %d %d m %d %d l S Q\n" % (x, y - 30, x + 220, y - 30)
            + b"q 0.1 0.6 0.2 rg %d %d m %d %d %d %d %d %d c %d %d %d %d %d %d c f Q\n" % (
                x + 150, y + 30, x + 150, y + 63, x + 210, y + 63, x + 210, y + 30,
                x + 210, y - 3, x + 150, y - 3, x + 150, y + 30)
            + b"q 0 0 0 RG 1 w [4 2] 0 d %d %d 200 100 re S Q\n" % (x - 10, y - 50))


def page_objects(first, media, content, rotate=None, image=None):
    """A page at object `first` with its content at first+1 (and image at first+2)."""
    rot = b"/Rotate %d " % rotate if rotate is not None else b""
    xobj = b"/XObject << /Im1 %d 0 R >> " % (first + 2) if image is not None else b""
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] %s"
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> %s>> /Contents %d 0 R >>" % (
                str(media[0]).encode(), str(media[1]).encode(), rot, xobj, first + 1))
    objs = [page, stream(content)]
    if image is not None:
        h, w, _ = image.shape
        objs.append(stream(image.tobytes(), extra=b"/Type /XObject /Subtype /Image /Width %d "
                           b"/Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 " % (w, h)))
    return objs


def document(pages):
    """pages: list of (media, content, rotate, image). Objects: 1 catalog, 2 pages, 3-4 fonts."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>"]
    kids = []
    for media, content, rotate, image in pages:
        first = len(objs) + 1
        kids.append(b"%d 0 R" % first)
        objs += page_objects(first, media, content, rotate, image)
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return objs


def photo(h, w):
    """A smooth colour gradient with noise and a sharp square: exercises image scaling."""
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1),
                    (xx + yy) * 255 // max(w + h - 2, 1)], axis=-1).astype(np.int16)
    img += RNG.integers(-20, 21, size=img.shape, dtype=np.int16)
    img[h // 4:h // 2, w // 4:w // 2] = (250, 240, 30)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_pdfs():
    letter = (612, 792)
    page1 = (text_lines(60, 720, 14, LOREM) + text_lines(60, 560, 24, ["Large heading"], b"/F2")
             + vector_art(80, 420) + b"q 240 0 0 180 300 140 cm /Im1 Do Q\n")
    page2 = text_lines(40, 540, 11, LOREM * 2) + vector_art(500, 200)
    page3 = text_lines(30, 150, 10, LOREM[:3], b"/F2") + vector_art(60, 60)
    page4 = text_lines(50, 500, 12, LOREM[3:]) + b"q 100 0 0 80 60 100 cm /Im1 Do Q\n"
    pages = [(letter, page1, None, photo(48, 64)),
             ((842, 595), page2, 90, None),          # A4 landscape, shown rotated
             ((300.5, 200.25), page3, 270, None),    # small, fractional size
             ((419.53, 595.28), page4, 180, photo(30, 40))]  # A5, upside down
    objs = document(pages)
    data = pdf_bytes(objs)
    facts = [{"mediabox": list(m), "rotate": r or 0} for m, _, r, _ in pages]
    record("mixed.pdf", data, pages=len(pages), page_facts=facts)
    record("truncated.pdf", data[: len(data) * 3 // 5], error="truncated")
    record("not-a-pdf.pdf", b"Hello, I am a plain text file pretending to be a PDF.\n" * 4,
           error="unknown format")
    empty_pages = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    record("zero-pages.pdf", pdf_bytes(empty_pages), error="no pages")
    # A page tree that contains itself, and a form XObject that draws itself: Poppler must
    # neither loop nor recurse forever.
    record("page-tree-loop.pdf", pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"]), error="damaged")
    record("recursive-form.pdf", pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] "
        b"/Resources << /XObject << /X 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] "
        b"/Resources << /XObject << /X 4 0 R >> >> /Length 6 >>\nstream\n/X Do\nendstream",
        b"<< /Length 6 >>\nstream\n/X Do\nendstream"]), pages=1)
    huge = document([((1_000_000, 1_000_000), text_lines(10, 10, 12, ["huge"]), None, None)])
    record("absurd-size.pdf", pdf_bytes(huge), error="absurd page size")
    # A 60-page text document for the speed benchmark (text-heavy, like real scans' OCR
    # layers and born-digital reports).
    body = [(letter, text_lines(50, 740, 10, [f"Page {n + 1}"] + LOREM * 9)
             + vector_art(300, 80), None, None) for n in range(60)]
    record("benchmark.pdf", pdf_bytes(document(body)), pages=60)
    write_encrypted(pages[:1])


# ------------------------------------------------------ RC4 standard security handler (R2)

PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key, data):
    s, j, out = list(range(256)), 0, bytearray()
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def write_encrypted(pages, user=b"secret", owner=b"owner-pass"):
    """ISO 32000-1 §7.6.3, algorithms 1–4: revision 2, 40-bit RC4."""
    file_id = hashlib.md5(b"palidoc encrypted fixture").digest()
    permissions = -4
    o_key = hashlib.md5((owner + PAD)[:32]).digest()[:5]
    o_entry = rc4(o_key, (user + PAD)[:32])
    key = hashlib.md5((user + PAD)[:32] + o_entry + struct.pack("<i", permissions)
                      + file_id).digest()[:5]
    u_entry = rc4(key, PAD)
    objs = document(pages)
    encrypted = []
    for number, body in enumerate(objs, 1):
        start = body.find(b"stream\n")
        if start >= 0:
            end = body.rfind(b"\nendstream")
            payload = body[start + 7:end]
            object_key = hashlib.md5(key + struct.pack("<I", number)[:3] + b"\0\0").digest()[:10]
            body = body[:start + 7] + rc4(object_key, payload) + body[end:]
        encrypted.append(body)
    encrypt_number = len(encrypted) + 1
    encrypted.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        o_entry.hex().encode(), u_entry.hex().encode(), permissions))
    trailer = b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (
        encrypt_number, file_id.hex().encode(), file_id.hex().encode())
    record("encrypted.pdf", pdf_bytes(encrypted, trailer), pages=1, user_password="secret",
           owner_password="owner-pass")


# ---------------------------------------------------------------- rasters

def grey_pattern(h, w):
    yy, xx = np.mgrid[0:h, 0:w]
    img = ((xx * 7 + yy * 3) % 256).astype(np.uint8)
    img[5:15, 5:25] = 0
    img[20:30, 30:50] = 255
    return img


def rgb_pattern(h, w):
    return photo(h, w)


def as_rgb(grey):
    return np.repeat(grey[..., None], 3, axis=-1)


def reference(name, arrays):
    data = b"".join(np.ascontiguousarray(a, dtype=np.uint8).tobytes() for a in arrays)
    record(name, data)


def pil_tiff(image, **params):
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF", **params)
    return buffer.getvalue()


def pil_multipage(images, **params):
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:], **params)
    return buffer.getvalue()


def _transpose(image, orientation):
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(orientation)
    return image.transpose(method) if method else image


def tiff_case(name, data, pages, size, dpi=None, tolerance=0):
    facts = {"pages": len(pages), "width": size[0], "height": size[1], "tolerance": tolerance}
    if dpi is not None:
        facts["dpi"] = dpi
    record(name, data, reference=name.rsplit(".", 1)[0] + ".rgb", **facts)
    reference(name.rsplit(".", 1)[0] + ".rgb", pages)


def write_tiffs():
    h, w = 40, 56
    grey = grey_pattern(h, w)
    rgb = rgb_pattern(h, w)

    tiff_case("grey8-lzw.tif", pil_tiff(Image.fromarray(grey), compression="tiff_lzw",
                                        dpi=(300, 300)), [as_rgb(grey)], (w, h), dpi=[300, 300])
    tiff_case("rgb8-deflate.tif", pil_tiff(Image.fromarray(rgb), compression="tiff_adobe_deflate"),
              [rgb], (w, h))
    tiff_case("rgb8-packbits.tif", pil_tiff(Image.fromarray(rgb), compression="packbits"),
              [rgb], (w, h))
    jpeg_tiff = pil_tiff(Image.fromarray(rgb), compression="jpeg", quality=90)
    decoded = np.asarray(Image.open(io.BytesIO(jpeg_tiff)).convert("RGB"))
    tiff_case("rgb8-jpeg.tif", jpeg_tiff, [decoded], (w, h), tolerance=3)

    alpha = ((np.mgrid[0:h, 0:w][1] * 255) // (w - 1)).astype(np.uint8)
    rgba = np.dstack([rgb, alpha])
    a = alpha.astype(np.int32)[..., None]
    composite = (rgb.astype(np.int32) * a + 127) // 255 + (255 - a)
    tiff_case("rgba8-lzw.tif", pil_tiff(Image.fromarray(rgba, "RGBA"), compression="tiff_lzw"),
              [np.clip(composite, 0, 255)], (w, h))

    palette_image = Image.fromarray(rgb).quantize(colors=16, method=Image.Quantize.MEDIANCUT)
    tiff_case("palette-lzw.tif", pil_tiff(palette_image, compression="tiff_lzw"),
              [np.asarray(palette_image.convert("RGB"))], (w, h))

    bits = (grey > 128)
    bilevel = Image.fromarray(bits)
    for compression, name in [("group4", "bilevel-g4.tif"), ("group3", "bilevel-g3.tif")]:
        tiff_case(name, pil_tiff(bilevel, compression=compression, dpi=(204, 196)),
                  [as_rgb(bits.astype(np.uint8) * 255)], (w, h), dpi=[204, 196])

    cmyk = RNG.integers(0, 256, size=(h, w, 4), dtype=np.uint8)
    c = cmyk.astype(np.int32)
    cmyk_rgb = ((255 - c[..., :3]) * (255 - c[..., 3:4])) // 255
    tiff_case("cmyk8-lzw.tif", pil_tiff(Image.fromarray(cmyk, "CMYK"), compression="tiff_lzw"),
              [cmyk_rgb], (w, h))

    grey16 = (np.mgrid[0:h, 0:w][1] * 1170 + np.mgrid[0:h, 0:w][0] * 13).astype(np.uint16)
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, grey16, photometric="minisblack", compression="zlib",
                     resolution=(100, 100), resolutionunit="CENTIMETER")
    tiff_case("grey16-deflate-cm.tif", buffer.getvalue(),
              [as_rgb(grey16 >> 8)], (w, h), dpi=[254, 254])

    rgb16 = RNG.integers(0, 65536, size=(h, w, 3), dtype=np.uint16)
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, rgb16, photometric="rgb", tile=(16, 16), compression="zlib")
    tiff_case("rgb16-tiled-deflate.tif", buffer.getvalue(),
              [(rgb16.astype(np.int64) * 255 + 32767) // 65535], (w, h))

    buffer = io.BytesIO()
    tifffile.imwrite(buffer, rgb, photometric="rgb", tile=(16, 16))
    tiff_case("rgb8-tiled.tif", buffer.getvalue(), [rgb], (w, h))

    for orientation in (3, 6, 8):
        data = pil_tiff(Image.fromarray(rgb), compression="tiff_lzw",
                        tiffinfo={274: orientation})
        shown = np.asarray(_transpose(Image.fromarray(rgb), orientation))
        tiff_case(f"orientation-{orientation}.tif", data, [shown],
                  (shown.shape[1], shown.shape[0]))

    pages = [Image.fromarray(grey), Image.fromarray(rgb), Image.fromarray(grey[:20, :30])]
    tiff_case("multipage.tif", pil_multipage(pages, compression="tiff_lzw"),
              [as_rgb(grey), rgb, as_rgb(grey[:20, :30])], (w, h))

    # Damaged TIFFs: strips cut off, and a header pointing to no directory.
    big = np.tile(grey, (4, 4))
    whole = pil_tiff(Image.fromarray(big))
    record("truncated.tif", whole[: len(whole) // 2], error="truncated")
    record("corrupt.tif", b"II*\x00" + struct.pack("<I", 0x7FFFFFF0) + bytes(64),
           error="corrupt")


def write_images():
    h, w = 40, 56
    rgb = rgb_pattern(h, w)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92, exif=_exif(6))
    decoded = np.asarray(_transpose(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), 6))
    record("photo-exif6.jpg", buffer.getvalue(), reference="photo-exif6.rgb", pages=1,
           width=decoded.shape[1], height=decoded.shape[0], tolerance=3)
    reference("photo-exif6.rgb", [decoded])

    cmyk = Image.fromarray(RNG.integers(0, 256, size=(h, w, 4), dtype=np.uint8), "CMYK")
    buffer = io.BytesIO()
    cmyk.save(buffer, format="JPEG", quality=95)
    stored = np.asarray(Image.open(io.BytesIO(buffer.getvalue()))).astype(np.int32)
    cmyk_rgb = ((255 - stored[..., :3]) * (255 - stored[..., 3:4])) // 255
    record("cmyk.jpg", buffer.getvalue(), reference="cmyk.rgb", pages=1, width=w, height=h,
           tolerance=3)
    reference("cmyk.rgb", [cmyk_rgb])

    alpha = ((np.mgrid[0:h, 0:w][0] * 255) // (h - 1)).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(buffer, format="PNG", dpi=(150, 150))
    a = alpha.astype(np.int32)[..., None]
    composite = (rgb.astype(np.int32) * a + 127) // 255 + (255 - a)
    record("rgba.png", buffer.getvalue(), reference="rgba.rgb", pages=1, width=w, height=h,
           dpi=[150, 150], tolerance=1)
    reference("rgba.rgb", [np.clip(composite, 0, 255)])

    whole = buffer.getvalue()
    record("truncated.png", whole[: len(whole) // 2], error="truncated")

    # 16-bit grey PNG: cairo keeps the high byte (libpng's png_set_strip_16).
    grey16 = (np.mgrid[0:h, 0:w][1] * 1170 + np.mgrid[0:h, 0:w][0] * 13).astype(np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(grey16).save(buffer, format="PNG")
    record("grey16.png", buffer.getvalue(), reference="grey16.rgb", pages=1, width=w,
           height=h, tolerance=0)
    reference("grey16.rgb", [as_rgb(grey16 >> 8)])

    # Palette PNG with a transparent entry (tRNS): that colour becomes white.
    palette_image = Image.fromarray(rgb).quantize(colors=8, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    palette_image.save(buffer, format="PNG", transparency=0)
    shown = np.asarray(palette_image.convert("RGB")).copy()
    shown[np.asarray(palette_image) == 0] = 255
    record("palette-trns.png", buffer.getvalue(), reference="palette-trns.rgb", pages=1,
           width=w, height=h, tolerance=0)
    reference("palette-trns.rgb", [shown])
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    whole = buffer.getvalue()
    record("truncated.jpg", whole[: len(whole) // 2], error="truncated")


def _exif(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    write_pdfs()
    write_tiffs()
    write_images()
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(manifest['files'])} files, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
