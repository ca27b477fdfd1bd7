"""Who is calling: bearer tokens for the API, session cookies for the web, and CSRF checks."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from precx.accounts import service as accounts_service
from precx.accounts.principal import Principal
from precx.config import Settings
from precx.db import DbSession
from precx.kit.i18n import Message
from precx.kit.problems import DomainError, Forbidden, NotAuthenticated

SESSION_COOKIE = "precx_session"
ANON_CSRF_COOKIE = "precx_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(DomainError):
    """A web page needs a logged-in user: the handler redirects to the login page."""

    status = 401
    problem = "login-required"
    title = "Login required"


class SecondFactorRequired(DomainError):
    """The user must set up two-factor login before going on (their organisation requires it)."""

    status = 403
    problem = "second-factor-required"
    title = "Two-factor login required"


def settings_of(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def client_address(request: Request) -> str:
    """The caller's address, for lock-out counting and the audit log."""
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def api_principal(request: Request, session: DbSession) -> Principal:
    """The API caller, by bearer token or by a browser session (which must send its CSRF token
    with every change)."""
    raw = _bearer(request)
    if raw is not None:
        principal = accounts_service.token_principal(session, raw)
        if principal is None:
            raise NotAuthenticated(Message("The API token is unknown, expired or revoked."))
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        identity = accounts_service.session_identity(session, cookie, settings_of(request))
        if identity is not None and not identity.web_session.mfa_pending:
            if identity.must_set_up_2fa:
                raise Forbidden(
                    Message("Your organisation requires two-factor login: set it up first.")
                )
            if request.method not in SAFE_METHODS and not secrets.compare_digest(
                request.headers.get(CSRF_HEADER, ""), identity.csrf_token
            ):
                raise Forbidden(
                    Message("A change made with a browser session needs its CSRF token.")
                )
            return identity.principal
    raise NotAuthenticated(Message("Send an API token: `Authorization: Bearer precx_pat_...`."))


ApiPrincipal = Annotated[Principal, Depends(api_principal)]


def web_identity(request: Request, session: DbSession) -> accounts_service.WebIdentity | None:
    """The logged-in browser user, or None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    identity = accounts_service.session_identity(session, cookie, settings_of(request))
    if identity is None or identity.web_session.mfa_pending:
        return None
    request.state.identity = identity
    return identity


OptionalIdentity = Annotated[accounts_service.WebIdentity | None, Depends(web_identity)]


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and not origin.startswith(str(request.base_url).rstrip("/")):
        raise Forbidden(Message("The form was sent from another site."))


async def _form_token(request: Request) -> str:
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


async def csrf_protect(request: Request, identity: OptionalIdentity) -> None:
    """Every web form change carries the CSRF token of its session (or of its anonymous form)."""
    if request.method in SAFE_METHODS:
        return
    _check_origin(request)
    sent = await _form_token(request)
    expected = (
        identity.csrf_token if identity is not None else request.cookies.get(ANON_CSRF_COOKIE, "")
    )
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise Forbidden(
            Message(
                "The form has expired or did not come from this site. "
                "Reload the page and try again."
            )
        )


def web_principal(request: Request, identity: OptionalIdentity) -> Principal:
    """The logged-in user of a web page; others are sent to the login page."""
    if identity is None:
        raise LoginRequired(Message("Please log in."))
    if identity.must_set_up_2fa and request.url.path not in ("/account/2fa", "/logout"):
        raise SecondFactorRequired(
            Message("Your organisation requires two-factor login: set it up now.")
        )
    return identity.principal


WebPrincipal = Annotated[Principal, Depends(web_principal)]
