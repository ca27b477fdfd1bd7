"""Security headers and Secure cookies on every response, streamed ones included."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from precx.kit.security_headers import SecurityHeaders

HEADERS = {"X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'self'"}


def _page(_request: Request) -> PlainTextResponse:
    response = PlainTextResponse("page")
    response.set_cookie("flash", "saved", httponly=True)
    response.set_cookie("already", "secure", secure=True)
    return response


def _stream(_request: Request) -> StreamingResponse:
    return StreamingResponse(iter([b"one\n", b"two\n"]), media_type="text/plain")


def _own_frame_policy(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("docs", headers={"X-Frame-Options": "SAMEORIGIN"})


def _client(*, secure_cookies: bool) -> TestClient:
    inner = Starlette(
        routes=[
            Route("/page", _page),
            Route("/stream", _stream),
            Route("/docs", _own_frame_policy),
        ]
    )
    return TestClient(
        SecurityHeaders(inner, HEADERS, csp_exempt_paths=("/docs",), secure_cookies=secure_cookies)
    )


def test_headers_are_added_to_pages_and_streams_and_never_override_the_apps_own() -> None:
    client = _client(secure_cookies=False)
    for path in ("/page", "/stream"):
        response = client.get(path)
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == "default-src 'self'"
    assert client.get("/stream").text == "one\ntwo\n"
    docs = client.get("/docs")
    assert docs.headers["x-frame-options"] == "SAMEORIGIN"
    assert "content-security-policy" not in docs.headers


def test_every_cookie_is_marked_secure_when_asked_and_only_then() -> None:
    cookies = _client(secure_cookies=True).get("/page").headers.get_list("set-cookie")
    assert len(cookies) == 2
    assert all(c.lower().count("; secure") == 1 for c in cookies)
    plain = _client(secure_cookies=False).get("/page").headers.get_list("set-cookie")
    assert [c.lower().count("; secure") for c in plain] == [0, 1]
