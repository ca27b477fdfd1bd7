"""The printed declaration: names in any script of the region, the code and its QR."""

from __future__ import annotations

from precx.declarations.pdf import PdfDeclaration, render_pdf


def declaration(customer: str) -> PdfDeclaration:
    return PdfDeclaration(
        code="CD-ABCD-EFGH-JKLM",
        check_url="https://precx.example/declarations/check?code=CD-ABCD-EFGH-JKLM",
        state="signed",
        kind="multi-transaction",
        customer=customer,
        customer_address="ул. Абая 10, Алматы",
        customer_country="KZ",
        licence="KZ-L-7788",
        supplier="Elbtal Chemical Trading GmbH",
        substance="Acetic anhydride",
        quantity="200 kg",
        quantity_left="150 kg",
        intended_use="acetylation of cellulose for fibre production",
        signatory="Айгуль Сейткали, директор",
        signed="2026-11-20",
        validity="2026-11-20 to 2027-11-19",
        source="signed on the platform",
    )


def test_a_cyrillic_customer_prints_in_an_embedded_unicode_font() -> None:
    pdf = render_pdf(declaration("ТОО «Алматы Химпром»"))
    assert pdf.startswith(b"%PDF")
    assert b"DejaVu" in pdf and b"/FontFile2" in pdf  # the font travels with the file
    # The font's map back to Unicode (uncompressed) lists each letter drawn: here А and Х.
    assert b"<0410>" in pdf and b"<0425>" in pdf


def test_greek_and_accented_names_print_too() -> None:
    assert render_pdf(declaration("Κωνσταντίνος Παπαδόπουλος")).startswith(b"%PDF")
    assert render_pdf(declaration("Zakłady Chemiczne Łódź S.A.")).startswith(b"%PDF")
