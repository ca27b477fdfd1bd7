"""The printable pre-export notification: its terms, checks and timeline (fpdf2, DejaVu)."""

from __future__ import annotations

from fpdf import FPDF

from precx.declarations.pdf import FONT, FONTS
from precx.notifications.schemas import NotificationRead


def _rows(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(52, 5.5, label)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5.5, value or "-", new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def render_pdf(n: NotificationRead) -> bytes:
    """The notification as an A4 PDF, with what this reader may see (no internal notes)."""
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Pre-export notification {n.reference}")
    pdf.set_subject(n.reference)
    pdf.set_creator("Precursor Exchange")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, "Pre-export notification", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(0, 4, "1988 UN Convention, article 12(10)(a)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "B", 14)
    pdf.cell(0, 9, n.reference, new_x="LMARGIN", new_y="NEXT")
    _rows(
        pdf,
        [
            ("Kind", n.kind),
            ("Status", n.status + (f" ({n.response_reason})" if n.response_reason else "")),
            ("Consignment", n.shipment_status or "not recorded by customs"),
            ("Exporting authority", n.exporting_authority),
            ("Exporter", f"{n.exporter_name}, {n.exporter_address} ({n.exporter_country})"),
            ("Importer", f"{n.importer_name}, {n.importer_address} ({n.importer_country})"),
            ("Importer's licence", n.importer_licence_number),
            ("Ultimate consignee", f"{n.consignee_name} {n.consignee_address}".strip()),
            ("Transport", n.transport_mode),
            ("Exit point", n.exit_point),
            ("Transit countries", ", ".join(n.transit_countries)),
            ("Entry point", n.entry_point),
            ("Expected dispatch", n.dispatch_date.isoformat()),
            ("Covers shipments until", n.valid_until.isoformat() if n.valid_until else ""),
            ("Export authorisation", n.export_authorisation_number),
            ("Import permit", n.import_permit_number),
            ("Sent", n.sent_at.strftime("%Y-%m-%d %H:%M UTC")),
            ("Reply deadline", n.reply_deadline.strftime("%Y-%m-%d %H:%M UTC")),
            ("Notes", n.notes),
        ],
    )
    _heading(pdf, "Substances")
    for line in n.lines:
        used = f", used {line.quantity_used_kg:g} kg" if line.quantity_used_kg is not None else ""
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(
            0,
            5.5,
            f"{line.substance_name}: {line.quantity:g} {line.unit} "
            f"({line.concentration_percent:g} %) {line.packaging}{used}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if n.checks:
        _heading(pdf, "Checks")
        _rows(pdf, [(c.check, f"[{c.outcome}] {c.message}") for c in n.checks])
    _heading(pdf, "Timeline")
    timeline = [("sent", n.sent_at.strftime("%Y-%m-%d"))]
    timeline += [
        (r.answer, f"{r.created_at:%Y-%m-%d} {r.organisation} {r.reason}") for r in n.responses
    ]
    timeline += [(a.action, f"{a.changed_at:%Y-%m-%d} {a.reason}") for a in n.amendments]
    timeline += [
        (e.kind, f"{e.occurred_on} {e.place} ({e.country}), {e.organisation}")
        for e in n.customs_events
    ]
    _rows(pdf, timeline)
    return bytes(pdf.output())
