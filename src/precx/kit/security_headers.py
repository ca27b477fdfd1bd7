"""Security headers on every HTTP response, as a pure ASGI middleware.

Pure ASGI rather than Starlette's `BaseHTTPMiddleware`: that one relays each body chunk of a
streamed response through an extra task and memory stream, which a thousand open event streams
pay for on every item. Here only the start message is touched; body chunks pass straight through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class SecurityHeaders:
    """Adds each header the response has not set itself (`exempt` paths skip the CSP).

    With `secure_cookies`, every cookie the app sets is marked Secure here, in one place, so
    that no cookie (a flash message, a CSRF token) can be forgotten behind TLS.
    """

    def __init__(
        self,
        app: ASGIApp,
        headers: Mapping[str, str],
        csp_exempt_paths: Iterable[str] = (),
        *,
        secure_cookies: bool = False,
    ) -> None:
        self.app = app
        self.secure_cookies = secure_cookies
        self.headers = dict(headers)
        self.without_csp = {k: v for k, v in self.headers.items() if k != "Content-Security-Policy"}
        self.csp_exempt_paths = frozenset(csp_exempt_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = self.without_csp if scope["path"] in self.csp_exempt_paths else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    headers.setdefault(name, value)
                if self.secure_cookies:
                    message["headers"] = [_secure(k, v) for k, v in message["headers"]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
        return name, value + b"; Secure"
    return name, value
