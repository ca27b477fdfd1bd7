"""The printable report for case files."""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from precx.declarations.pdf import FONT, FONTS


@dataclass(frozen=True)
class PdfReport:
    """What the PDF shows, already resolved to text."""

    title: str
    status: str
    reporter: str
    submitted: str
    ack_due: str
    counterparty: str
    substances: str
    order: str
    red_flags: str
    action_taken: str
    narrative: str
    feedback: str
    timeline: list[str]
    messages: list[str]


def render_pdf(doc: PdfReport) -> bytes:
    """The report as an A4 PDF."""
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(doc.title)
    pdf.set_creator("Precursor Exchange")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(
        0,
        4,
        "Confidential: the reporter's identity is for authorities only.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    rows = (
        ("Status", doc.status),
        ("Reporter", doc.reporter),
        ("Submitted (UTC)", doc.submitted),
        ("Acknowledge by (UTC)", doc.ack_due),
        ("Counterparty", doc.counterparty),
        ("Substances", doc.substances),
        ("Order / consignment", doc.order),
        ("Red flags", doc.red_flags),
        ("Action taken", doc.action_taken),
        ("Narrative", doc.narrative),
        ("Feedback", doc.feedback),
    )
    for label, value in rows:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(48, 6, label)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 6, value or "-", new_x="LMARGIN", new_y="NEXT")
    for heading, items in (("Timeline", doc.timeline), ("Messages", doc.messages)):
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        for item in items or ["-"]:
            pdf.multi_cell(0, 5, item, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
