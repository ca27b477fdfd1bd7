"""Web pages of accounts: login, two-factor login, logout, the account page, users, invitations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from precx.accounts import service as accounts_service
from precx.accounts.auth import (
    SESSION_COOKIE,
    OptionalIdentity,
    WebPrincipal,
    client_address,
    csrf_protect,
    settings_of,
)
from precx.accounts.models import User
from precx.accounts.principal import Role
from precx.accounts.schemas import InviteCreate
from precx.db import DbSession
from precx.kit.i18n import Message
from precx.kit.ids import PathId
from precx.kit.problems import DomainError
from precx.web.templating import redirect, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])

TOTP_SECRET_COOKIE = "precx_totp_setup"  # noqa: S105 - a cookie name


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send the user to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _set_session_cookie(request: Request, response: Response, raw: str) -> None:
    settings = settings_of(request)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_hours * 3600,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, session: DbSession, identity: OptionalIdentity, next: str = "/"
) -> Response:
    """The login page; in demo mode it lists the demo accounts."""
    if identity is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    demo_accounts = accounts_service.demo_accounts(session) if settings_of(request).demo else []
    return render(
        request,
        "accounts/login.html",
        {"next": _safe_next(next), "demo_accounts": demo_accounts, "email": ""},
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the password; go on to the second factor, or straight in."""
    settings = settings_of(request)
    outcome = accounts_service.authenticate(
        session, email=email, password=password, client=client_address(request), settings=settings
    )
    if outcome.user is None:
        if outcome.locked_until is not None:
            error = Message("Too many failed logins. Try again in a few minutes.")
        else:
            error = Message("Wrong e-mail or password.")
        demo_accounts = accounts_service.demo_accounts(session) if settings.demo else []
        return render(
            request,
            "accounts/login.html",
            {
                "next": _safe_next(next),
                "error": error,
                "email": email,
                "demo_accounts": demo_accounts,
            },
            status_code=401,
        )
    raw, web = accounts_service.start_web_session(
        session, outcome.user, settings=settings, client=client_address(request)
    )
    target = f"/login/2fa?next={_safe_next(next)}" if web.mfa_pending else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    _set_session_cookie(request, response, raw)
    return response


@router.get("/login/2fa", response_class=HTMLResponse)
def second_factor_form(request: Request, session: DbSession, next: str = "/") -> Response:
    """Ask for the code of the authenticator app."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    if not raw or accounts_service.pending_session(session, raw) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "accounts/login_2fa.html", {"next": _safe_next(next)})


@router.post("/login/2fa", response_class=HTMLResponse)
def second_factor(
    request: Request,
    session: DbSession,
    code: Annotated[str, Form(max_length=12)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Accept the code and finish the login."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    web = accounts_service.pending_session(session, raw) if raw else None
    if web is None:
        return redirect(
            "/login", Message("Your login has expired. Please log in again."), "warning"
        )
    if not accounts_service.complete_2fa_login(
        session, web, code, client=client_address(request), settings=settings_of(request)
    ):
        return render(
            request,
            "accounts/login_2fa.html",
            {"next": _safe_next(next), "error": Message("That code is not right.")},
            status_code=401,
        )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DbSession) -> RedirectResponse:
    """End the session."""
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        accounts_service.end_web_session(session, raw)
    response = redirect("/login", Message("You are logged out."))
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The user's account: password, two-factor login and API tokens."""
    tokens = accounts_service.list_api_tokens(session, principal)
    return render(request, "accounts/account.html", {"tokens": tokens}, principal=principal)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    identity: OptionalIdentity,
    current_password: Annotated[str, Form(max_length=200)],
    new_password: Annotated[str, Form(max_length=200)],
    confirm_password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Change the password."""
    if new_password != confirm_password:
        return redirect("/account", Message("The two new passwords differ."), "error")
    try:
        accounts_service.change_password(
            session,
            principal,
            current=current_password,
            new=new_password,
            keep_session_id=identity.session_id if identity else None,
        )
    except DomainError as exc:
        return redirect("/account", exc.detail, "error")
    return redirect("/account", Message("Your password has been changed."), "success")


@router.post("/account/tokens")
def create_token(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    days: Annotated[int | None, Form(ge=1, le=3650)] = None,
) -> Response:
    """Create an API token and show its secret once."""
    try:
        raw, _token = accounts_service.issue_own_token(
            session, principal, name=name, days=days, settings=settings_of(request)
        )
    except DomainError as exc:
        return redirect("/account", exc.detail, "error")
    tokens = accounts_service.list_api_tokens(session, principal)
    return render(
        request, "accounts/account.html", {"tokens": tokens, "new_token": raw}, principal=principal
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: PathId, session: DbSession, principal: WebPrincipal) -> Response:
    """Revoke an API token."""
    accounts_service.revoke_api_token(session, principal, token_id)
    return redirect("/account", Message("The token has been revoked."), "success")


@router.get("/account/2fa", response_class=HTMLResponse)
def totp_setup(request: Request, identity: OptionalIdentity) -> Response:
    """Set up two-factor login: a new secret as a QR code for the authenticator app."""
    if identity is None:
        return RedirectResponse("/login?next=/account/2fa", status_code=303)
    principal = identity.principal
    secret = accounts_service.new_totp_secret()
    uri, svg = accounts_service.totp_provisioning(principal, secret)
    response = render(
        request,
        "accounts/totp.html",
        {"secret": secret, "qr_svg": svg, "uri": uri, "required": identity.must_set_up_2fa},
        principal=principal,
    )
    # The secret waits in a short-lived cookie until the user confirms it with a code.
    response.set_cookie(
        TOTP_SECRET_COOKIE,
        secret,
        max_age=600,
        httponly=True,
        samesite="strict",
        secure=settings_of(request).cookie_secure,
    )
    return response


@router.post("/account/2fa", response_class=HTMLResponse)
def totp_enable(
    request: Request,
    session: DbSession,
    identity: OptionalIdentity,
    code: Annotated[str, Form(max_length=12)],
) -> Response:
    """Confirm the code from the app and turn on two-factor login."""
    if identity is None:
        return RedirectResponse("/login", status_code=303)
    secret = request.cookies.get(TOTP_SECRET_COOKIE, "")
    if not secret:
        return redirect(
            "/account/2fa", Message("The setup took too long. Scan the new code."), "warning"
        )
    try:
        accounts_service.enable_totp(session, identity.principal, secret=secret, code=code)
    except DomainError as exc:
        return redirect("/account/2fa", exc.detail, "error")
    response = redirect("/account", Message("Two-factor login is on."), "success")
    response.delete_cookie(TOTP_SECRET_COOKIE)
    return response


@router.post("/account/2fa/disable")
def totp_disable(
    session: DbSession,
    principal: WebPrincipal,
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Turn off two-factor login."""
    try:
        accounts_service.disable_totp(session, principal, password=password)
    except DomainError as exc:
        return redirect("/account", exc.detail, "error")
    return redirect("/account", Message("Two-factor login is off."), "success")


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The organisation's users (admins manage them, analysts read the list)."""
    return _users_page(request, session, principal)


def _users_page(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    *,
    invited: User | None = None,
    token: str | None = None,
) -> HTMLResponse:
    listed = accounts_service.list_users(session, principal)
    org = accounts_service.get_organisation(session, principal.organisation_id)
    link = str(request.url_for("invitation_form", token=token)) if token else None
    return render(
        request,
        "accounts/users.html",
        {
            "users": listed,
            "organisation": org,
            "roles": list(Role),
            "invite_link": link,
            "invited": invited,
        },
        principal=principal,
    )


@router.post("/users/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    session: DbSession,
    principal: WebPrincipal,
    email: Annotated[str, Form(max_length=254)],
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[Role, Form()],
) -> Response:
    """Invite a colleague; the page shows the one-time link to pass on."""
    try:
        data = InviteCreate(email=email, name=name, role=role)
    except ValueError:
        return redirect("/users", Message("Give a valid e-mail address and a name."), "error")
    try:
        user, raw = accounts_service.invite_user(
            session, principal, data=data, settings=settings_of(request)
        )
    except DomainError as exc:
        return redirect("/users", exc.detail, "error")
    return _users_page(request, session, principal, invited=user, token=raw)


@router.post("/users/{user_id}/invitation", response_class=HTMLResponse)
def reissue_invitation(
    user_id: PathId, request: Request, session: DbSession, principal: WebPrincipal
) -> Response:
    """A new invitation link for a colleague who lost theirs."""
    try:
        user, raw = accounts_service.reissue_invitation(
            session, principal, user_id, settings=settings_of(request)
        )
    except DomainError as exc:
        return redirect("/users", exc.detail, "error")
    return _users_page(request, session, principal, invited=user, token=raw)


@router.post("/users/{user_id}/active")
def set_active(
    user_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    active: Annotated[bool, Form()],
) -> Response:
    """Deactivate or reactivate a user of the organisation."""
    user = accounts_service.set_user_active(session, principal, user_id, active=active)
    message = (
        Message("%(email)s is active again.", email=user.email)
        if active
        else Message("%(email)s is deactivated.", email=user.email)
    )
    return redirect("/users", message, "success")


@router.post("/users/{user_id}/role")
def set_role(
    user_id: PathId,
    session: DbSession,
    principal: WebPrincipal,
    role: Annotated[Role, Form()],
) -> Response:
    """Give a colleague another role."""
    try:
        user = accounts_service.set_user_role(session, principal, user_id, role=role)
    except DomainError as exc:
        return redirect("/users", exc.detail, "error")
    message = Message("%(email)s is now %(role)s.", email=user.email, role=user.role.value)
    return redirect("/users", message, "success")


@router.post("/users/require-2fa")
def require_2fa(
    session: DbSession,
    principal: WebPrincipal,
    required: Annotated[bool, Form()],
) -> Response:
    """Require two-factor login for every user of the organisation (or stop requiring it)."""
    accounts_service.set_require_2fa(session, principal, required=required)
    return redirect("/users", Message("The two-factor policy has been saved."), "success")


@router.get("/invitations/{token}", response_class=HTMLResponse, name="invitation_form")
def invitation_form(token: str, request: Request, session: DbSession) -> HTMLResponse:
    """The invited user chooses a password."""
    found = accounts_service.find_invitation(session, token)
    return render(
        request,
        "accounts/invitation.html",
        {"token": token, "user": found[1] if found else None},
        status_code=200 if found else 404,
    )


@router.post("/invitations/{token}", response_class=HTMLResponse)
def accept_invitation(
    token: str,
    request: Request,
    session: DbSession,
    password: Annotated[str, Form(max_length=200)],
    confirm_password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Set the password and go to the login page."""
    found = accounts_service.find_invitation(session, token)
    error: str | None = None
    if password != confirm_password:
        error = Message("The two passwords differ.")
    else:
        try:
            accounts_service.accept_invitation(session, token, password=password)
        except DomainError as exc:
            error = exc.detail
    if error:
        return render(
            request,
            "accounts/invitation.html",
            {"token": token, "user": found[1] if found else None, "error": error},
            status_code=422,
        )
    return redirect("/login", Message("Your password is set. You can log in now."), "success")


@router.get("/organisations", response_class=HTMLResponse)
def organisations(request: Request, session: DbSession, principal: WebPrincipal) -> HTMLResponse:
    """The organisations on the platform that the user may know of."""
    orgs = accounts_service.list_organisations(session, principal)
    return render(
        request, "accounts/organisations.html", {"organisations": orgs}, principal=principal
    )
