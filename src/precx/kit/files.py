"""Recognising uploaded documents by their own first bytes, never by their name or label."""

from __future__ import annotations

# The document kinds every upload accepts: content type and the suffix a download is named with.
DOCUMENT_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


def sniff_document(content: bytes) -> tuple[str, str] | None:
    """The content type and suffix of a PDF, PNG or JPEG file; None for anything else."""
    for magic, content_type, suffix in DOCUMENT_SIGNATURES:
        if content.startswith(magic):
            return content_type, suffix
    return None
