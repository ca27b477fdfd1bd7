"""Attachments over HTTP: the size limit of uploads, reading them bounded, serving them safely."""

from __future__ import annotations

from fastapi import Request, UploadFile
from fastapi.responses import Response

from precx.kit.files import read_limited


def attachment_limit(request: Request) -> int:
    """The largest attachment this instance accepts (PRECX_ATTACHMENT_MAX_BYTES)."""
    return int(request.app.state.settings.attachment_max_bytes)


def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes, refused as soon as it grows beyond the size limit."""
    return read_limited(file.file, limit)


def attachment_response(filename: str, content_type: str, content: bytes) -> Response:
    """A download that browsers save and never render or sniff in the page."""
    return Response(
        content,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
