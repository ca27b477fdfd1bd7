"""The printable declaration: its text, verification code and a QR code to check it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

QR_SIZE_MM = 42.0
# DejaVu Sans (vendored, Bitstream Vera licence) covers Latin, Greek and Cyrillic: the names of
# customers in the OSCE region print as they are written, not as "?".
FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class PdfDeclaration:
    """What the PDF shows, already resolved to text."""

    code: str
    check_url: str
    state: str
    kind: str
    customer: str
    customer_address: str
    customer_country: str
    licence: str
    supplier: str
    substance: str
    quantity: str
    quantity_left: str
    intended_use: str
    signatory: str
    signed: str
    validity: str
    source: str


def _draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as filled rectangles (vector, no image library needed)."""
    qr = segno.make(data, error="m")
    matrix = qr.matrix
    border = 4  # the quiet zone scanners need around the code
    module = size / (len(matrix) + 2 * border)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(
                    x + (start + border) * module,
                    y + (r + border) * module,
                    (c - start) * module,
                    module,
                    style="F",
                )
            else:
                c += 1


def render_pdf(doc: PdfDeclaration) -> bytes:
    """The declaration as a one-page A4 PDF."""
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(FONTS / "DejaVuSans.ttf"))  # no italic shipped: upright
    pdf.set_title(f"Customer declaration {doc.code}")
    pdf.set_subject(doc.code)
    pdf.set_creator("Precursor Exchange")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _draw_qr(pdf, doc.check_url, pdf.w - pdf.r_margin - QR_SIZE_MM, 10, QR_SIZE_MM)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(pdf.epw - QR_SIZE_MM - 4, 8, "Customer declaration (end-use declaration)")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        pdf.epw - QR_SIZE_MM - 4,
        5,
        "Regulation (EC) No 273/2004, Article 4; Regulation (EU) 2015/1011, Article 5 and Annex",
    )
    pdf.ln(2)
    pdf.set_font("Courier", "B", 14)
    pdf.cell(pdf.epw - QR_SIZE_MM - 4, 9, doc.code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "", 8)  # ASCII, and kept as plain text a search can find
    pdf.multi_cell(
        pdf.epw - QR_SIZE_MM - 4,
        4,
        f"Check this code on the platform: {doc.check_url}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(pdf.get_y(), 10 + QR_SIZE_MM) + 4)
    rows = (
        ("Status", doc.state),
        ("Kind", doc.kind),
        ("Customer", doc.customer),
        ("Address", doc.customer_address),
        ("Country", doc.customer_country),
        ("Licence / registration", doc.licence),
        ("Supplier", doc.supplier),
        ("Substance", doc.substance),
        ("Quantity", doc.quantity),
        ("Quantity left", doc.quantity_left),
        ("Intended use", doc.intended_use),
        ("Signed by", doc.signatory),
        ("Signed", doc.signed),
        ("Valid", doc.validity),
        ("Source", doc.source),
    )
    for label, value in rows:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(48, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 6, value or "-", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "I", 8)
    pdf.multi_cell(
        0,
        4,
        "The customer declares that the substance will be used only for the purpose stated "
        "above and will not be re-sold or supplied to others except for that use. Whether this "
        "declaration is still valid, and how much of it is left, is known only by checking its "
        "code: this printout may be out of date.",
    )
    return bytes(pdf.output())
