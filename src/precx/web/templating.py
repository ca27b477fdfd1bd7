"""Rendering pages: the Jinja2 environment, the layout's context, flash messages and locale."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from precx.accounts.auth import ANON_CSRF_COOKIE
from precx.accounts.principal import AUTHORITY_KINDS, OrgKind, Principal, Role
from precx.kit import i18n
from precx.kit.fields import country_name
from precx.kit.i18n import _
from precx.web import labels

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FLASH_COOKIE = "precx_flash"
LOCALE_COOKIE = "precx_locale"

env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
    # A Message (a service's error, a field's check) shows in the page's language wherever a
    # template prints it.
    finalize=i18n.translate,
)
env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
_template_gettext = cast(Callable[..., Any], env.globals["gettext"])


@pass_context
def _gettext_of_pages(context: Context, message: str, /, **variables: Any) -> Any:
    """_() in templates: a Message (or a name) is translated and filled in already, so it is not
    formatted again (newstyle gettext %-formats what it returns, and a filled-in message may
    hold a %)."""
    if isinstance(message, i18n.Translatable):
        return i18n.translate(message)
    # Values that read in the page's language (a country's name, a Message) are translated
    # before they fill the translated message in.
    values = {key: i18n.translate(value) for key, value in variables.items()}
    return context.call(_template_gettext, message, **values)


env.globals["gettext"] = _gettext_of_pages


def _stored_message(record: Any) -> Any:
    """The message of a stored record (a screening's finding: `message`, and `text` as
    kit.i18n.message_data keeps it), to show in the page's language."""
    data = record.get("text") if isinstance(record, dict) else None
    if isinstance(data, dict):
        return i18n.message_from_data(data)
    return record.get("message", "") if isinstance(record, dict) else record


env.filters["stored_message"] = _stored_message


@cache
def _substance_names() -> Mapping[str, Mapping[str, str]]:
    """The shipped catalog's names of each substance by language (read once)."""
    from precx.catalog.loader import read_substances  # the catalog's views import this module

    return {record.id: dict(record.names) for record in read_substances()}


def _substance(name: str, substance_id: str | None) -> str:
    """A substance's name as a record stored it, shown in the page's language where the catalog
    names it: `{{ s.substance_name|substance(s.substance_id) }}`."""
    names = _substance_names().get(substance_id or "")
    return i18n.LocalName(name, names) if names else name


env.filters["substance"] = _substance
env.globals["country_name"] = country_name
env.globals["LANGUAGES"] = i18n.LANGUAGES
env.globals["order_fields"] = labels.ORDER_FIELDS
env.globals["order_codes"] = labels.ORDER_CODES


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation."""

    label: str
    href: str


def navigation(principal: Principal | None) -> list[NavItem]:
    """The main navigation for what the user's organisation kind does."""
    if principal is None:
        return []
    items = [NavItem(_("Home"), "/")]
    if principal.organisation_kind not in (OrgKind.international, OrgKind.platform):
        items.append(NavItem(_("Screening"), "/screening"))
    if principal.organisation_kind in AUTHORITY_KINDS | {OrgKind.international}:
        items.append(NavItem(_("Licences"), "/licences"))
    elif principal.organisation_kind is not OrgKind.platform:
        items.append(NavItem(_("Verify a licence"), "/verify"))
    if principal.is_authority:
        items.append(NavItem(_("Incidents"), "/incidents"))
    if principal.organisation_kind is not OrgKind.platform:
        items.append(NavItem(_("Alerts"), "/alerts"))
    if principal.organisation_kind is OrgKind.industry or principal.is_authority:
        items.append(NavItem(_("Declarations"), "/declarations"))
    elif principal.organisation_kind is OrgKind.logistics:
        items.append(NavItem(_("Check a declaration"), "/declarations/check"))
    if principal.organisation_kind in AUTHORITY_KINDS | {OrgKind.industry, OrgKind.logistics}:
        items.append(NavItem(_("Reports"), "/reports"))
    if principal.organisation_kind in (OrgKind.licensing_authority, OrgKind.customs):
        items.append(NavItem(_("Notifications"), "/notifications"))
    elif principal.organisation_kind is OrgKind.industry:
        items.append(NavItem(_("Export applications"), "/export-applications"))
    items += [
        NavItem(_("Watchlists"), "/watchlists"),
        NavItem(_("Bulletins"), "/bulletins"),
        NavItem(_("Substances"), "/substances"),
        NavItem(_("Countries"), "/countries"),
    ]
    if principal.organisation_kind is not OrgKind.platform:
        items.append(NavItem(_("Sharing groups"), "/sharing-groups"))
    if principal.organisation_kind in AUTHORITY_KINDS | {OrgKind.international, OrgKind.platform}:
        items.append(NavItem(_("Organisations"), "/organisations"))
    if principal.role in (Role.admin, Role.analyst):
        items.append(NavItem(_("Users"), "/users"))
    if principal.is_admin:
        items.append(NavItem(_("Audit log"), "/audit"))
    return items


def request_locale(request: Request, principal: Principal | None) -> str:
    """The language of a page: the user's choice, the cookie, the browser, the default."""
    settings = request.app.state.settings
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    if principal is not None and principal.locale in i18n.LANGUAGES:
        return str(principal.locale)
    return i18n.negotiate(request.headers.get("accept-language")) or settings.default_locale


def anon_csrf(request: Request) -> str:
    """The anonymous forms' CSRF token: the cookie's value, made if the browser has none."""
    token = request.cookies.get(ANON_CSRF_COOKIE) or getattr(request.state, "new_anon_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_anon_csrf = token
    return str(token)


def flash(response: Response, message: str, category: str = "info") -> None:
    """Show a message on the next page the browser loads (a Message in the page's language)."""
    payload = json.dumps({**i18n.message_data(message), "c": category})
    response.set_cookie(FLASH_COOKIE, quote(payload), max_age=60, httponly=True, samesite="lax")


def _take_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(unquote(raw))
        return {"message": i18n.message_from_data(data), "category": str(data.get("c", "info"))}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def page_url(request: Request, **changes: Any) -> str:
    """The current page's URL with some query parameters changed (for paging and sorting)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page in the layout, in the request's language."""
    locale = request_locale(request, principal)
    i18n.set_locale(locale)
    identity = getattr(request.state, "identity", None)
    csrf = identity.csrf_token if identity is not None else anon_csrf(request)
    flashed = _take_flash(request)
    settings = request.app.state.settings
    ctx: dict[str, Any] = {
        "request": request,
        "principal": principal,
        "nav": navigation(principal),
        "csrf_token": csrf,
        "flash": flashed,
        "locale": locale,
        "demo": settings.demo,
        "page_url": lambda **kw: page_url(request, **kw),
        "current_path": request.url.path,
        "token_days": settings.token_days,
    }
    ctx.update(context or {})
    html = env.get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status_code)
    if flashed:
        response.delete_cookie(FLASH_COOKIE)
    new_csrf = getattr(request.state, "new_anon_csrf", None)
    if new_csrf:
        response.set_cookie(
            ANON_CSRF_COOKIE, new_csrf, httponly=True, samesite="lax", secure=settings.cookie_secure
        )
    return response


def redirect(url: str, message: str | None = None, category: str = "info") -> RedirectResponse:
    """A 303 redirect after a form, with an optional flash message."""
    response = RedirectResponse(url, status_code=303)
    if message:
        flash(response, message, category)
    return response
