#!/usr/bin/env python3
"""Writes the demo documents in `examples/` (what `make demo` converts) and their README:

- `invoice.pdf`: one A4 page, vector, real text in embedded DejaVu fonts (reportlab): letterhead,
  address block, paragraphs and a line-item table with rules.
- `report-table.pdf`: one A4 page, vector: section title, paragraph, a table whose two-row header
  has column spans and whose first column has row spans.
- `scan-2pages.tif`: a two-page 200 DPI TIFF of a typed letter, rendered with DejaVu Serif
  (Pillow): page 1 bilevel CCITT Group 4, page 2 8-bit greyscale LZW, both slightly rotated with
  scanner dust; resolution tags set.
- `music-snippet.png` + `music-snippet.krn`: a three-bar grand-staff piano excerpt engraved with
  Pillow (clefs, sharps and brace from the Euterpe music font, note heads, stems, beams and
  barlines drawn), and the same music as Humdrum **kern; both come from one note list.
- `molecule.png` + `molecule.smi`: caffeine drawn by RDKit (`rdMolDraw2D`), and its RDKit
  canonical SMILES (`SMILES<TAB>name`).

Deterministic: fixed text, seeded noise, reportlab's invariant mode (no dates or random IDs).
Needs the pinned stack in Tests/Fixtures/requirements.txt (pillow, rdkit, reportlab) and the
Debian packages fonts-dejavu-core and fonts-oflb-euterpe. Run from anywhere:

    python3 Tests/Fixtures/generator/generate_examples.py
"""

import hashlib
import math
import pathlib
import random

import PIL
import rdkit
import reportlab
from PIL import Image, ImageDraw, ImageFilter, ImageFont, TiffImagePlugin
from rdkit import Chem
from rdkit.Chem import rdDepictor
from rdkit.Chem.Draw import rdMolDraw2D
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ROOT = pathlib.Path(__file__).resolve().parents[3]
OUT = ROOT / "examples"
DEJAVU = pathlib.Path("/usr/share/fonts/truetype/dejavu")
EUTERPE = pathlib.Path("/usr/share/fonts/truetype/euterpe/Euterpe.ttf")

# No creation dates, document IDs or random font-subset prefixes: reruns give identical bytes.
rl_config.invariant = 1

INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#9aa5b1")


def register_pdf_fonts():
    """Registers the DejaVu faces reportlab embeds (as subsets) in both PDFs."""
    for family in ["DejaVuSans", "DejaVuSerif"]:
        italic = "Oblique" if family == "DejaVuSans" else "Italic"
        faces = [family, f"{family}-Bold", f"{family}-{italic}", f"{family}-Bold{italic}"]
        for face in faces:
            pdfmetrics.registerFont(TTFont(face, str(DEJAVU / f"{face}.ttf")))
        # Lets <b> and <i> in paragraphs pick the right face.
        pdfmetrics.registerFontFamily(family, normal=faces[0], bold=faces[1], italic=faces[2],
                                      boldItalic=faces[3])


def style(name, font="DejaVuSans", size=9.5, leading=None, **extra):
    """A paragraph style, in the documents' ink colour unless textColor says otherwise."""
    extra.setdefault("textColor", INK)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.35,
                          **extra)


def pdf_document(path, title, subject):
    """An A4 document template with the margins both PDFs use."""
    return SimpleDocTemplate(str(path), pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                             topMargin=18 * mm, bottomMargin=18 * mm, title=title,
                             author="palidoc examples", subject=subject, creator="palidoc")


# --------------------------------------------------------------------------------------------
# invoice.pdf

INVOICE_ITEMS = [
    ("1", "Document conversion workshop, two days on site", "2", "day", "1,150.00"),
    ("2", "Pipeline configuration for scanned archive (OCR, tables)", "6", "h", "95.00"),
    ("3", "Review of 1,200 converted pages, sample of 5\u00a0%", "4", "h", "95.00"),
    ("4", "Travel, Hamburg – Lübeck and back (2nd class rail)", "1", "flat", "64.80"),
    ("5", "Printed training handbook, 48 pages, spiral bound", "8", "pc", "12.50"),
]
VAT_RATE = 0.19


def money(value):
    """1234.5 -> '1,234.50'."""
    return f"{value:,.2f}"


def invoice_letterhead(canvas, doc):
    """Letterhead band, sender line and footer drawn on the page itself."""
    width, height = A4
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
    canvas.setFont("DejaVuSerif-Bold", 22)
    canvas.drawString(22 * mm, height - 27 * mm, "Northwind Paperworks")
    canvas.setFillColor(INK)
    canvas.setFont("DejaVuSans", 9)
    canvas.drawString(22 * mm, height - 33 * mm, "Document digitisation · Archive services")
    right = width - 22 * mm
    for i, line in enumerate(["Northwind Paperworks GmbH", "Speicherstraße 14",
                              "20457 Hamburg, Germany", "+49 40 555 0192",
                              "billing@northwind-paperworks.example"]):
        canvas.drawRightString(right, height - 22 * mm - i * 4.2 * mm, line)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(22 * mm, height - 46 * mm, right, height - 46 * mm)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(22 * mm, 24 * mm, right, 24 * mm)
    canvas.setFont("DejaVuSans", 7.5)
    canvas.setFillColor(colors.HexColor("#52606d"))
    footer = [("Northwind Paperworks GmbH", "Amtsgericht Hamburg HRB 998877",
               "Hanseatic Savings Bank"),
              ("Managing director: Ilse Brandt", "VAT ID DE 123 456 789",
               "IBAN DE02 2005 0550 1234 5678 90"),
              ("Tax no. 27/123/04567", "Page 1 of 1", "BIC HASPDEHHXXX")]
    for i, (first, middle, last) in enumerate(footer):
        y = 19.5 * mm - i * 3.5 * mm
        canvas.drawString(22 * mm, y, first)
        canvas.drawCentredString(width / 2, y, middle)
        canvas.drawRightString(right, y, last)
    canvas.restoreState()


def write_invoice(path):
    """One A4 page: address block, invoice facts, paragraphs, line items and totals."""
    body = style("body")
    small = style("small", size=7.5, textColor=colors.HexColor("#52606d"))
    bold = style("bold", font="DejaVuSans-Bold")
    right = style("right", alignment=TA_RIGHT)
    right_bold = style("rightBold", font="DejaVuSans-Bold", alignment=TA_RIGHT)
    heading = style("heading", font="DejaVuSerif-Bold", size=16, leading=20, spaceAfter=4)

    address = [Paragraph("Northwind Paperworks GmbH · Speicherstraße 14 · 20457 Hamburg", small),
               Spacer(1, 2 * mm)]
    address += [Paragraph(line, body) for line in
                ["Stadtarchiv Lübeck", "Attn. Dr. Marta Kowalski", "Mühlendamm 1–3",
                 "23552 Lübeck", "Germany"]]
    facts = Table([[Paragraph(k, body), Paragraph(v, right)] for k, v in
                   [("Invoice no.", "NW-2026-0417"), ("Invoice date", "12 November 2026"),
                    ("Delivery date", "3–4 November 2026"), ("Customer no.", "K-10382"),
                    ("Your order", "SA-LB-2026/88"), ("Due date", "12 December 2026")]],
                  colWidths=[30 * mm, 35 * mm])
    facts.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0.6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6)]))
    top = Table([[address, facts]], colWidths=[101 * mm, 65 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))

    header = ["No.", "Description", "Qty", "Unit", "Unit price (EUR)", "Amount (EUR)"]
    rows = [[Paragraph(h, right_bold if i >= 2 else bold) for i, h in enumerate(header)]]
    subtotal = 0.0
    for pos, text, qty, unit, price in INVOICE_ITEMS:
        amount = int(qty) * float(price.replace(",", ""))
        subtotal += amount
        rows.append([Paragraph(pos, body), Paragraph(text, body), Paragraph(qty, right),
                     Paragraph(unit, right), Paragraph(price, right),
                     Paragraph(money(amount), right)])
    vat = round(subtotal * VAT_RATE, 2)
    totals = [("Subtotal", money(subtotal)), (f"VAT {VAT_RATE:.0%}", money(vat)),
              ("Total due", money(subtotal + vat))]
    first_total = len(rows)
    for label, value in totals:
        rows.append(["", "", "", Paragraph(label, right), "", Paragraph(value, right)])
    rows[-1][3] = Paragraph("Total due", right_bold)
    rows[-1][5] = Paragraph(money(subtotal + vat), right_bold)
    items = Table(rows, colWidths=[11 * mm, 79 * mm, 11 * mm, 13 * mm, 26 * mm, 26 * mm],
                  repeatRows=1)
    items.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e7eb")),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, first_total - 1), 0.4, RULE),
        ("LINEBELOW", (0, first_total - 1), (-1, first_total - 1), 0.8, INK),
        ("SPAN", (3, first_total), (4, first_total)),
        ("SPAN", (3, first_total + 1), (4, first_total + 1)),
        ("SPAN", (3, first_total + 2), (4, first_total + 2)),
        ("LINEABOVE", (3, -1), (-1, -1), 0.8, INK),
        ("LINEBELOW", (3, -1), (-1, -1), 1.6, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))

    story = [Spacer(1, 34 * mm), top, Spacer(1, 10 * mm),
             Paragraph("Invoice NW-2026-0417", heading),
             Paragraph("Dear Dr. Kowalski,", body), Spacer(1, 2 * mm),
             Paragraph("thank you for your order. For the digitisation workshop held at the "
                       "Stadtarchiv Lübeck and the follow-up work on the scanned council "
                       "minutes we charge the following services and items:", body),
             Spacer(1, 4 * mm), items, Spacer(1, 7 * mm),
             Paragraph("Please transfer the total amount of <b>EUR "
                       f"{money(subtotal + vat)}</b> by 12 December 2026 to the account shown "
                       "below, quoting the invoice number NW-2026-0417. Payment within 10 days "
                       "entitles you to a 2\u00a0% early-payment discount.", body),
             Spacer(1, 2.5 * mm),
             Paragraph("The converted pages, the OCR text and the table exports have been "
                       "delivered on 6 November 2026 as agreed. If you have any questions "
                       "about this invoice, please contact us at the address above.", body),
             Spacer(1, 6 * mm), Paragraph("Kind regards,", body), Spacer(1, 2 * mm),
             Paragraph("Jonas Feld, Accounts", body)]
    doc = pdf_document(path, "Invoice NW-2026-0417", "Invoice")
    doc.build(story, onFirstPage=invoice_letterhead)


# --------------------------------------------------------------------------------------------
# report-table.pdf

def write_report_table(path):
    """A report page: numbered section title, paragraph, and a table with column and row spans."""
    body = style("body", font="DejaVuSerif", size=10.5, leading=14.5, spaceAfter=6)
    title = style("title", font="DejaVuSans-Bold", size=15, leading=19, spaceAfter=8,
                  textColor=ACCENT)
    running = style("running", size=8, textColor=colors.HexColor("#52606d"))
    cell = style("cell", size=9)
    num = style("num", size=9, alignment=TA_RIGHT)
    head = style("head", font="DejaVuSans-Bold", size=9, alignment=1)
    caption = style("caption", font="DejaVuSerif", size=9, leading=12, spaceBefore=6)

    # Two header rows: "Region" and "Product" span both rows (row span 2); "Pages digitised"
    # and "Error rate (%)" each span two year columns (column span 2). Each region's name spans
    # its product rows.
    data = [[Paragraph("Region", head), Paragraph("Collection", head),
             Paragraph("Pages digitised", head), "", Paragraph("Character error rate (%)", head),
             ""],
            ["", "", Paragraph("2025", head), Paragraph("2026", head), Paragraph("2025", head),
             Paragraph("2026", head)]]
    regions = [("North", [("Parish registers", 18420, 24905, 3.8, 2.9),
                          ("Harbour ledgers", 9310, 12004, 5.1, 4.2)]),
               ("Centre", [("Council minutes", 31776, 35120, 2.2, 1.7),
                           ("Land surveys", 4085, 6630, 6.4, 5.0),
                           ("Newspapers", 52300, 61842, 4.6, 3.9)]),
               ("South", [("School records", 7912, 8450, 3.1, 2.6)])]
    spans = []
    for region, collections in regions:
        start = len(data)
        for i, (name, *values) in enumerate(collections):
            cells = [f"{v:,}" for v in values[:2]] + [f"{v:.1f}" for v in values[2:]]
            data.append([Paragraph(region, cell) if i == 0 else "", Paragraph(name, cell)]
                        + [Paragraph(v, num) for v in cells])
        if len(collections) > 1:
            spans.append(("SPAN", (0, start), (0, start + len(collections) - 1)))
    rows = [row for _, collections in regions for row in collections]
    pages = [sum(row[year] for row in rows) for year in (1, 2)]
    # Error rates weighted by each collection's pages in that year.
    rates = [sum(row[year] * row[year + 2] for row in rows) / pages[year - 1] for year in (1, 2)]
    data.append([Paragraph("<b>Total</b>", cell), ""]
                + [Paragraph(f"<b>{v:,}</b>", num) for v in pages]
                + [Paragraph(f"<b>{v:.1f}</b>", num) for v in rates])
    table = Table(data, colWidths=[24 * mm, 42 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm])
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (3, 0)), ("SPAN", (4, 0), (5, 0)),
        ("SPAN", (0, -1), (1, -1)),
        *spans,
        ("GRID", (0, 0), (-1, -1), 0.5, INK),
        ("BOX", (0, 0), (-1, -1), 1.0, INK),
        ("LINEBELOW", (0, 1), (-1, 1), 1.0, INK),
        ("LINEABOVE", (0, -1), (-1, -1), 1.0, INK),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#dde5f0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]))
    story = [Paragraph("Regional Archives Digitisation Programme · Annual Report 2026", running),
             Spacer(1, 8 * mm),
             Paragraph("3.2 Throughput and recognition quality by region", title),
             Paragraph("Table 3 compares the pages digitised in the last two programme years "
                       "with the character error rate measured on a hand-checked sample of each "
                       "collection. Throughput rose in every region, mostly because the scanning "
                       "stations in the centre moved to two shifts in March. Recognition quality "
                       "improved as well: the newer model lowers the error rate in every "
                       "collection, by about a fifth overall, while handwritten land surveys "
                       "remain the hardest material.", body),
             Paragraph("Error rates are given per character after normalising whitespace; the "
                       "totals are weighted by the number of pages in each collection.", body),
             Spacer(1, 3 * mm), table,
             Paragraph("Table 3: Pages digitised and character error rate per collection, "
                       "2025 and 2026.", caption),
             Spacer(1, 4 * mm),
             Paragraph("The South region has a single collection this year; the school records "
                       "of the remaining districts are scheduled for 2027 (see section 4.1).",
                       body)]
    pdf_document(path, "Annual Report 2026, section 3.2", "Report").build(
        story, onFirstPage=report_folio)


def report_folio(canvas, doc):
    """The report's page number, bottom centre."""
    canvas.saveState()
    canvas.setFont("DejaVuSerif", 9)
    canvas.setFillColor(INK)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, "– 12 –")
    canvas.restoreState()


# --------------------------------------------------------------------------------------------
# scan-2pages.tif

DPI = 200
LETTER_PAGES = [
    ["Harbour Museum Trust", "Kai 7, 24937 Flensburg", "", "", "Mr Peter Lindqvist",
     "Northwind Paperworks GmbH", "Speicherstraße 14", "20457 Hamburg", "",
     "Flensburg, 9 October 2026", "", "Re: Digitisation of the ship logbooks 1871–1914", "",
     "Dear Mr Lindqvist,", "",
     "¶Thank you for your visit last week and for the careful estimate you sent us on 2 October. "
     "The board of trustees discussed it on Monday and would like to go ahead with the first "
     "phase of the project as described in your offer.",
     "¶The collection consists of 214 bound logbooks from the sailing ships and steamers "
     "registered in Flensburg between 1871 and 1914. Most volumes are in good condition, but "
     "about thirty have water damage and loose pages, and we ask that these be scanned flat on "
     "the glass plate and never in the book cradle.",
     "¶We would also like the tables of daily positions, wind and weather to be captured as "
     "tables rather than as running text, so that researchers can search and sort them. Please "
     "let us know whether this changes the price per page."],
    ["- 2 -", "",
     "¶For the transport we suggest that our own staff bring the volumes to Hamburg in four "
     "batches of about fifty books each, the first on 2 November. Each batch should be returned "
     "within three weeks together with the images, the recognised text and a short report on "
     "any pages that could not be read.",
     "¶The museum will need the images as uncompressed TIFF files at 400 dots per inch for the "
     "archive, and as smaller PDF files with a text layer for the reading room. We would be "
     "grateful if the file names could follow the shelf marks, for example LB-1893-04.",
     "¶Our conservator, Mrs Hansen, is happy to answer any questions about the handling of the "
     "damaged volumes. She can be reached on weekdays between nine and one.",
     "¶We look forward to working with you.", "", "Yours sincerely,", "", "", "", "",
     "Dr. Annika Sörensen", "Director, Harbour Museum Trust"],
]


def typed_page(lines):
    """An A4 letter page at 200 DPI in 8-bit grey: typed text, ¶-lines wrapped as paragraphs."""
    width, height = round(210 / 25.4 * DPI), round(297 / 25.4 * DPI)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(DEJAVU / "DejaVuSerif.ttf"), round(11 / 72 * DPI))
    bold = ImageFont.truetype(str(DEJAVU / "DejaVuSerif-Bold.ttf"), round(11 / 72 * DPI))
    left, right, y = round(25 / 25.4 * DPI), width - round(22 / 25.4 * DPI), round(30 / 25.4 * DPI)
    leading = round(11 / 72 * DPI * 1.45)
    for line in lines:
        if line.startswith("¶"):
            words, current = line[1:].split(), ""
            for word in words:
                candidate = f"{current} {word}".strip()
                if draw.textlength(candidate, font=font) > right - left:
                    draw.text((left, y), current, font=font, fill=0)
                    y += leading
                    current = word
                else:
                    current = candidate
            draw.text((left, y), current, font=font, fill=0)
            y += leading + leading // 2
        elif line.startswith("Re:") or line == "Harbour Museum Trust":
            draw.text((left, y), line, font=bold, fill=0)
            y += leading
        elif line.startswith("Flensburg,"):
            draw.text((right, y), line, font=font, fill=0, anchor="ra")
            y += leading
        elif line == "- 2 -":
            draw.text((width // 2, y), line, font=font, fill=0, anchor="ma")
            y += leading
        else:
            draw.text((left, y), line, font=font, fill=0)
            y += leading
        if line == "Yours sincerely,":
            signature(draw, left, y + leading // 2)
    return page


def signature(draw, x, y):
    """A handwritten-looking signature: a tall first stroke, then slanted cursive loops."""
    points = []
    for i in range(700):
        t = i / 699
        phase = 2 * math.pi * (9 * t + 0.35 * math.sin(7 * t))
        height = (30 * (0.7 + 0.3 * math.sin(11 * t + 1.3))
                  + (60 * math.sin(math.pi * t / 0.12) if t < 0.12 else 0))
        dy = -height * (0.5 - 0.5 * math.cos(phase))  # up and down strokes
        dx = 400 * t + 15 * math.sin(phase)  # the pen moves on while it circles
        # Writing leans right: higher points sit further right.
        points.append((x + 20 + dx - 0.35 * dy, y + 70 + dy + 10 * t))
    draw.line(points, fill=25, width=4, joint="curve")
    draw.line([(x + 10, y + 100), (x + 470, y + 84)], fill=25, width=3)


def scanner_dust(page, rng, count, ink):
    """Seeded specks of dust and toner, as a flatbed scanner leaves them."""
    draw = ImageDraw.Draw(page)
    for _ in range(count):
        cx, cy = rng.uniform(0, page.width), rng.uniform(0, page.height)
        r = rng.choice([0.8, 1.2, 1.6, 2.4])
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=ink)


def write_scan(path):
    """Page 1 bilevel Group 4, page 2 greyscale LZW; both 200 DPI and a little skewed."""
    rng = random.Random(2026)
    first = typed_page(LETTER_PAGES[0]).rotate(
        0.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
    scanner_dust(first, rng, 70, ink=0)
    first = first.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.Dither.NONE)

    second = typed_page(LETTER_PAGES[1]).rotate(
        -0.35, resample=Image.Resampling.BICUBIC, fillcolor=255)
    second = second.filter(ImageFilter.GaussianBlur(0.7))
    # Paper tone and toner grey, quantised to steps of 4 so that LZW keeps the file small.
    second = second.point(lambda v: 4 * round((38 + v * (236 - 38) / 255) / 4))
    scanner_dust(second, rng, 50, ink=90)

    # Pillow's save_all gives every page the same compression; writing the pages one by one
    # through its appending writer (as save_all does inside) lets each page choose its own.
    # The bilevel page is stored min-is-white (photometric 0), as scanners and fax write it.
    pages = [(first, "group4", {262: 0}), (second, "tiff_lzw", {})]
    with open(path, "w+b") as fp, TiffImagePlugin.AppendingTiffWriter(fp) as tiff:
        for page, compression, tags in pages:
            page.save(tiff, format="TIFF", compression=compression, dpi=(DPI, DPI),
                      tiffinfo=tags)
            tiff.newFrame()


# --------------------------------------------------------------------------------------------
# music-snippet.png / music-snippet.krn

# Grand staff, G major, 3/4. Each measure holds, per staff (bass first, as **kern spines run),
# events (kern duration, [kern pitches], beam mark) in time order.
MUSIC = [
    {"bass": [("2.", ["G"], "")],
     "treble": [("4", ["b"], ""), ("4", ["a"], ""), ("4", ["g"], "")]},
    {"bass": [("4", ["D"], ""), ("4", ["F#"], ""), ("4", ["A"], "")],
     "treble": [("8", ["dd"], "L"), ("8", ["cc"], "J"), ("8", ["b"], "L"), ("8", ["a"], "J"),
                ("4", ["g"], "")]},
    {"bass": [("2.", ["GG", "D"], "")],
     "treble": [("2.", ["g", "b", "dd"], "")]},
]
QUARTERS = {"2.": 3.0, "4": 1.0, "8": 0.5}
LETTER_STEP = {c: i for i, c in enumerate("cdefgab")}


def write_kern(path):
    """The excerpt as two **kern spines, bass staff first; each barline carries the number of the
    measure it opens (`=1-`: measure 1 starts, no barline drawn)."""
    lines = ["!!!COM: palidoc examples", "!!!OTL: Study in G", "**kern\t**kern",
             "*clefF4\t*clefG2", "*k[f#]\t*k[f#]", "*M3/4\t*M3/4", "=1-\t=1-"]
    for number, measure in enumerate(MUSIC, start=1):
        onsets = {}
        for spine, staff in enumerate(["bass", "treble"]):
            t = 0.0
            for duration, pitches, beam in measure[staff]:
                token = " ".join(duration + p + (beam if i == 0 else "")
                                 for i, p in enumerate(pitches))
                onsets.setdefault(t, ["."] * 2)[spine] = token
                t += QUARTERS[duration]
        lines += ["\t".join(onsets[t]) for t in sorted(onsets)]
        lines.append("\t".join(["==" if number == len(MUSIC) else f"={number + 1}"] * 2))
    lines.append("*-\t*-")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def kern_step(pitch):
    """Diatonic step counted from C0: 'c' = C4, 'cc' = C5, 'C' = C3, 'GG' = G2."""
    letter = pitch[0].lower()
    octave = 3 + len(pitch.rstrip("#-n")) if pitch[0].islower() else 4 - len(pitch.rstrip("#-n"))
    return octave * 7 + LETTER_STEP[letter]


def write_music(path):
    """Engraves MUSIC at 4x and downsamples, so lines and heads are anti-aliased."""
    scale = 4
    space = 12 * scale  # staff space in pixels
    music = ImageFont.truetype(str(EUTERPE), 5 * space)  # Euterpe's em is five staff spaces
    numbers = ImageFont.truetype(str(DEJAVU / "DejaVuSerif-Bold.ttf"), round(2.75 * space))
    title_font = ImageFont.truetype(str(DEJAVU / "DejaVuSerif-Bold.ttf"), round(1.8 * space))
    text_font = ImageFont.truetype(str(DEJAVU / "DejaVuSerif-Italic.ttf"), round(1.2 * space))
    line = max(2, round(0.11 * space))
    quarter = 5.5 * space  # horizontal room per quarter note
    left = 5 * space
    header = 10 * space  # clefs, key and time signatures
    right = left + header + len(MUSIC) * (1.5 * space + 3 * quarter) + space
    width, height = round(right + 2 * space), 23 * space
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    # Bottom line of each staff and the diatonic step that sits on it (E4, G2).
    staves = {"treble": (11 * space, kern_step("e")), "bass": (20 * space, kern_step("GG"))}
    top_line, bottom_line = staves["treble"][0] - 4 * space, staves["bass"][0]

    def y_of(staff, pitch):
        bottom, step = staves[staff]
        return bottom - (kern_step(pitch) - step) * space / 2

    def ink(font, text):
        """The ink box of text drawn at the origin with its baseline anchored there."""
        mask, (ox, oy) = font.getmask2(text, anchor="ls")
        x0, y0, x1, y1 = mask.getbbox()
        return ox + x0, oy + y0, ox + x1, oy + y1

    def put(font, text, x, y, baseline=False):
        """Draws text with its ink's left edge at x and its ink centred on y (or its baseline on
        y); returns the ink width."""
        x0, y0, x1, y1 = ink(font, text)
        dy = 0 if baseline else (y0 + y1) / 2
        draw.text((x - x0, y - dy), text, font=font, fill=0, anchor="ls")
        return x1 - x0

    draw.text((width / 2, 1.5 * space), "Study in G", font=title_font, fill=0, anchor="ma")
    draw.text((left, 4.6 * space), "Andante", font=text_font, fill=0, anchor="ls")
    draw.text((right, 4.6 * space), "palidoc examples", font=text_font, fill=0, anchor="rs")

    for bottom, _ in staves.values():
        for i in range(5):
            draw.line([(left, bottom - i * space), (right, bottom - i * space)], fill=0,
                      width=line)
    draw.line([(left, top_line), (left, bottom_line)], fill=0, width=line)
    brace = Image.new("L", (2 * space, 6 * space), 255)
    x0, y0, x1, y1 = ink(music, chr(0x1D114))
    ImageDraw.Draw(brace).text((-x0, -y0), chr(0x1D114), font=music, fill=0, anchor="ls")
    brace = brace.crop((0, 0, x1 - x0, y1 - y0)).resize(
        (round(1.2 * space), bottom_line - top_line), Image.Resampling.LANCZOS)
    image.paste(brace, (left - round(1.5 * space), top_line))

    # Euterpe draws clefs for a staff whose bottom line is the baseline.
    x = left + space // 2
    put(music, chr(0x1D11E), x, staves["treble"][0], baseline=True)
    put(music, chr(0x1D122), x, staves["bass"][0], baseline=True)
    x += 4 * space
    put(music, chr(0x266F), x, y_of("treble", "ff"))
    put(music, chr(0x266F), x, y_of("bass", "F"))
    x += 2 * space
    for bottom, _ in staves.values():
        put(numbers, "3", x, bottom - 3 * space)
        put(numbers, "4", x, bottom - space)
    x = left + header

    head_width = ink(music, chr(0x1D158))[2] - ink(music, chr(0x1D158))[0]
    for number, measure in enumerate(MUSIC, start=1):
        start = x + 1.5 * space
        for staff, events in measure.items():
            middle = staves[staff][0] - 2 * space
            t, beam_group = 0.0, []
            for duration, pitches, beam in events:
                hx = start + t * quarter
                ys = [y_of(staff, p) for p in pitches]
                head = chr(0x1D157 if duration.startswith("2") else 0x1D158)
                for y in ys:
                    put(music, head, hx, y)
                    if duration.endswith("."):
                        # A dot sits in a space: a note on a line has its dot half a space up.
                        on_line = round((staves[staff][0] - y) / space * 2) % 2 == 0
                        dy = y - space / 2 if on_line else y
                        dx, r = hx + head_width + 0.6 * space, 0.22 * space
                        draw.ellipse([dx - r, dy - r, dx + r, dy + r], fill=0)
                stem = {"x": hx, "ys": ys}
                if beam:
                    beam_group.append(stem)
                    if beam == "J":
                        draw_beamed(draw, beam_group, middle, space, head_width, line)
                        beam_group = []
                else:
                    draw_stem(draw, stem, middle, space, head_width, line)
                t += QUARTERS[duration]
        x = start + 3 * quarter
        if number < len(MUSIC):
            draw.line([(x, top_line), (x, bottom_line)], fill=0, width=line)
    # Final barline: thin then thick, ending the staff lines.
    thick = round(0.5 * space)
    draw.rectangle([right - thick, top_line - line / 2, right, bottom_line + line / 2], fill=0)
    thin_x = right - thick - 0.6 * space
    draw.line([(thin_x, top_line), (thin_x, bottom_line)], fill=0, width=line)
    image = image.resize((width // scale, height // scale), Image.Resampling.LANCZOS)
    image.save(path, optimize=True)


def stem_direction(ys, middle):
    """Stems go down when the note furthest from the middle line lies on or above it."""
    furthest = max(ys, key=lambda y: abs(y - middle))
    return 1 if furthest <= middle else -1  # +1: stem down from the left of the head


def draw_stem(draw, stem, middle, space, head_width, width):
    """A stem 3.5 spaces long from the outermost head of a chord (half or quarter note)."""
    direction = stem_direction(stem["ys"], middle)
    x = stem["x"] + (width / 2 if direction > 0 else head_width - width / 2)
    start = min(stem["ys"]) if direction > 0 else max(stem["ys"])
    end = max(stem["ys"]) + 3.5 * space if direction > 0 else min(stem["ys"]) - 3.5 * space
    draw.line([(x, start), (x, end)], fill=0, width=width)


def draw_beamed(draw, group, middle, space, head_width, width):
    """Eighth notes joined by one beam; the beam slopes with the melody, at most half a space."""
    direction = stem_direction([y for stem in group for y in stem["ys"]], middle)
    xs = [s["x"] + (width / 2 if direction > 0 else head_width - width / 2) for s in group]
    tips = [(max(s["ys"]) + 3.5 * space) if direction > 0 else (min(s["ys"]) - 3.5 * space)
            for s in group]
    slope = max(-0.5 * space, min(0.5 * space, tips[-1] - tips[0])) / (xs[-1] - xs[0])
    # Anchor the beam so that no stem gets shorter than 3.5 spaces.
    offsets = [tip - slope * (x - xs[0]) for x, tip in zip(xs, tips)]
    base = max(offsets) if direction > 0 else min(offsets)
    thickness = 0.5 * space
    for stem, x in zip(group, xs):
        head = min(stem["ys"]) if direction > 0 else max(stem["ys"])
        draw.line([(x, head), (x, base + slope * (x - xs[0]))], fill=0, width=width)
    y0, y1 = base, base + slope * (xs[-1] - xs[0])
    inner = -thickness if direction > 0 else thickness
    draw.polygon([(xs[0] - width / 2, y0), (xs[-1] + width / 2, y1),
                  (xs[-1] + width / 2, y1 + inner), (xs[0] - width / 2, y0 + inner)], fill=0)


# --------------------------------------------------------------------------------------------
# molecule.png / molecule.smi

def write_molecule(png, smi):
    """Caffeine, depicted by RDKit with CoordGen layout, and its canonical SMILES."""
    mol = Chem.MolFromSmiles("Cn1cnc2c1c(=O)n(C)c(=O)n2C")
    rdDepictor.SetPreferCoordGen(True)
    rdDepictor.Compute2DCoords(mol)
    drawer = rdMolDraw2D.MolDraw2DCairo(520, 400)
    options = drawer.drawOptions()
    options.legendFontSize = 22
    options.bondLineWidth = 2
    options.padding = 0.08
    drawer.DrawMolecule(mol, legend="caffeine (1,3,7-trimethylxanthine)")
    drawer.FinishDrawing()
    png.write_bytes(drawer.GetDrawingText())
    smi.write_text(f"{Chem.MolToSmiles(mol)}\tcaffeine\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# README.md

README = """# Example documents

Small documents for trying palidoc: `make demo` runs `palidoc convert examples/` on them. The
project made every file here itself with `Tests/Fixtures/generator/generate_examples.py`; the
texts, names, firms and figures in them are invented. They are the project's own and free to
use for any purpose, without conditions.

- `invoice.pdf`: one A4 page, vector PDF with selectable text: letterhead, address block,
  invoice facts, paragraphs, and a line-item table with rules, subtotal, VAT and total.
- `report-table.pdf`: one A4 page, vector PDF: running head, numbered section title,
  paragraphs, and a table with a two-row header ("Pages digitised" and "Character error rate"
  each span two year columns; "Region" and "Collection" span both header rows), region cells
  spanning several body rows, and a total row.
- `scan-2pages.tif`: a two-page TIFF of a typed letter at 200 DPI (resolution tags set),
  rendered in DejaVu Serif and made to look scanned (slight skew, dust, a signature). Page 1
  is bilevel, min-is-white, CCITT Group 4; page 2 is 8-bit greyscale (min-is-black) with LZW.
- `music-snippet.png`: three bars of a piano piece on a grand staff (G major, 3/4): brace,
  clefs, key and time signatures, note heads, stems, beams, chords, dotted halves, barlines.
- `music-snippet.krn`: the same music as Humdrum `**kern` (bass spine first), written from the
  same note list as the image.
- `molecule.png`: a 2D depiction of caffeine drawn by RDKit (`rdMolDraw2D`, CoordGen layout).
- `molecule.smi`: its RDKit canonical SMILES, as `SMILES<TAB>name`.

Only the PDF, TIFF and PNG files are documents; the `.krn` and `.smi` files are the reference
answers for the music and the molecule, and this README describes the folder. The PDFs
embed subsets of the DejaVu fonts, whose licence allows embedding and redistribution; the
music symbols are rasterised from the Euterpe font (SIL Open Font License).

## Remaking them

```sh
pip install -r Tests/Fixtures/requirements.txt   # pillow, rdkit, reportlab
apt-get install fonts-dejavu-core fonts-oflb-euterpe
python3 Tests/Fixtures/generator/generate_examples.py
```

The script is deterministic (fixed text, seeded noise, reportlab's invariant mode), so a rerun
with the same versions gives the same bytes.
Its last run, with {versions}, gave:

| File | Bytes | SHA-256 |
|------|------:|---------|
{hashes}
"""


def write_readme(files):
    """README.md, with the library versions used and each file's size and SHA-256."""
    versions = (f"Pillow {PIL.__version__}, RDKit {rdkit.__version__} and "
                f"reportlab {reportlab.Version}")
    hashes = "\n".join(f"| `{f.name}` | {f.stat().st_size} | "
                       f"`{hashlib.sha256(f.read_bytes()).hexdigest()}` |" for f in files)
    (OUT / "README.md").write_text(README.replace("{versions}", versions)
                                   .replace("{hashes}", hashes), encoding="utf-8")


def main():
    OUT.mkdir(exist_ok=True)
    register_pdf_fonts()
    write_invoice(OUT / "invoice.pdf")
    write_report_table(OUT / "report-table.pdf")
    write_scan(OUT / "scan-2pages.tif")
    write_music(OUT / "music-snippet.png")
    write_kern(OUT / "music-snippet.krn")
    write_molecule(OUT / "molecule.png", OUT / "molecule.smi")
    names = ["invoice.pdf", "report-table.pdf", "scan-2pages.tif", "music-snippet.png",
             "music-snippet.krn", "molecule.png", "molecule.smi"]
    write_readme([OUT / name for name in names])


if __name__ == "__main__":
    main()
