"""Pages of the shell: the home page of each organisation kind and the language switcher."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from precx.accounts import service as accounts_service
from precx.accounts.auth import OptionalIdentity, WebPrincipal, csrf_protect
from precx.bulletins import service as bulletins_service
from precx.db import DbSession
from precx.kit import i18n
from precx.kit.pagination import PageParams
from precx.web.templating import LOCALE_COOKIE, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The home page: what the user's organisation kind does, and what is new for it."""
    latest = bulletins_service.list_bulletins(session, principal, PageParams(per_page=5))
    owners = accounts_service.organisation_names(
        session, {b.owner_organisation_id for b in latest.items}
    )
    return render(
        request,
        f"home/{principal.organisation_kind.value}.html",
        {"latest": latest, "owners": owners},
        principal=principal,
    )


@router.post("/language")
def choose_language(
    request: Request,
    session: DbSession,
    identity: OptionalIdentity,
    locale: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> RedirectResponse:
    """Switch the language of the pages and remember it (for the user, and in a cookie)."""
    chosen = locale if locale in i18n.LANGUAGES else i18n.DEFAULT_LOCALE
    if identity is not None:
        accounts_service.set_locale(session, identity.principal, chosen)
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        LOCALE_COOKIE,
        chosen,
        max_age=365 * 24 * 3600,
        samesite="lax",
        httponly=True,
        secure=request.app.state.settings.cookie_secure,
    )
    return response
