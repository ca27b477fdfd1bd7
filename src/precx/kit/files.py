"""Recognising uploaded documents by their own first bytes, never by their name or label."""

from __future__ import annotations

from typing import BinaryIO

from precx.kit.problems import InvalidInput

# The default largest attachment (PRECX_ATTACHMENT_MAX_BYTES), for reports and incidents alike.
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 2**20

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


def size_limit_error(limit: int) -> InvalidInput:
    """The refusal of a file beyond the size limit, naming the limit."""
    shown = f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit} bytes"
    return InvalidInput(
        f"The file is larger than the limit of {shown} ({limit} bytes).",
        errors=[("file", f"larger than the limit of {shown}")],
    )


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """An upload's bytes, refused as soon as it grows beyond the limit (never held whole)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise size_limit_error(limit)
        chunks.append(chunk)
    return b"".join(chunks)
