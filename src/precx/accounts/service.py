"""Organisations, users, logins, web sessions, API tokens, invitations and two-factor login."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from precx.accounts.models import (
    ApiToken,
    Invitation,
    LoginFailure,
    Organisation,
    User,
    WebSession,
)
from precx.accounts.principal import OrgKind, OrgStatus, Principal, Role
from precx.accounts.schemas import InviteCreate, OrganisationCreate, UserCreate
from precx.audit import service as audit
from precx.config import Settings
from precx.db import utc_now
from precx.kit.i18n import Message
from precx.kit.problems import Conflict, Forbidden, InvalidInput, NotFound

TOKEN_PREFIX = "precx_pat_"  # noqa: S105 - a public prefix, not a secret
_hasher = PasswordHasher()
# Verified against when an e-mail is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-the-same-cost")


def digest(raw: str) -> str:
    """SHA-256 of a random secret (tokens are long and random, so no salt or stretching)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return _hasher.hash(password)


def _password_matches(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def principal_for(user: User, org: Organisation) -> Principal:
    """The Principal a user acts as."""
    return Principal(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=Role(user.role),
        organisation_id=org.id,
        organisation_name=org.name,
        organisation_kind=OrgKind(org.kind),
        country=org.country,
        vetted=org.vetted,
        locale=user.locale,
    )


def _user_and_org(session: Session, user_id: int) -> tuple[User, Organisation] | None:
    row = session.execute(
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.id == user_id)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def _may_act(user: User, org: Organisation) -> bool:
    return user.active and user.password_hash is not None and org.status == OrgStatus.active


# --- Organisations ----------------------------------------------------------------------------


def create_organisation(
    session: Session,
    principal: Principal | None,
    *,
    data: OrganisationCreate,
    demo: bool = False,
    actor_label: str | None = None,
) -> Organisation:
    """Register an organisation (platform operators only; `principal=None` is the CLI)."""
    if principal is not None and not principal.is_platform_admin:
        raise Forbidden(Message("Only platform administrators register organisations."))
    if session.scalar(select(Organisation.id).where(Organisation.name == data.name)) is not None:
        raise Conflict(
            Message("An organisation named %(name)s exists.", name=repr(data.name)),
            errors=[("body.name", Message("taken"))],
        )
    org = Organisation(
        name=data.name,
        kind=data.kind,
        country=data.country,
        status=data.status,
        vetted=data.vetted,
        demo=demo,
    )
    session.add(org)
    session.flush()
    details = data.model_dump(mode="json")
    audit.record_change(
        session,
        principal,
        "organisation.created",
        record_type="organisation",
        record_id=org.id,
        organisation_id=org.id,
        details=details,
        actor_label=actor_label,
    )
    return org


def list_organisations(session: Session, principal: Principal | None) -> list[Organisation]:
    """Organisations the caller may know of: all for authorities and operators, else their own."""
    stmt = select(Organisation).order_by(Organisation.country, Organisation.name)
    if principal is not None and principal.organisation_kind in (
        OrgKind.industry,
        OrgKind.logistics,
    ):
        stmt = stmt.where(Organisation.id == principal.organisation_id)
    return list(session.scalars(stmt).all())


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    """One organisation by id."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(Message("No organisation %(id)s.", id=organisation_id))
    return org


def set_require_2fa(session: Session, principal: Principal, *, required: bool) -> Organisation:
    """An organisation admin requires (or stops requiring) two-factor login for all its users."""
    if not principal.is_admin:
        raise Forbidden(Message("Only an administrator of your organisation may change this."))
    org = get_organisation(session, principal.organisation_id)
    org.require_2fa = required
    session.flush()
    audit.record_change(
        session,
        principal,
        "organisation.2fa_policy",
        record_type="organisation",
        record_id=org.id,
        organisation_id=org.id,
        details={"require_2fa": required},
        topic="organisation.updated",
    )
    return org


# --- Users ------------------------------------------------------------------------------------


def _check_email_free(session: Session, email: str) -> str:
    email = email.lower()
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(
            Message("A user with e-mail %(email)s exists.", email=email),
            errors=[("body.email", Message("taken"))],
        )
    return email


def create_user(
    session: Session,
    principal: Principal | None,
    *,
    data: UserCreate,
    actor_label: str | None = None,
) -> User:
    """Add a user to any organisation (platform operators only; `principal=None` is the CLI)."""
    if principal is not None and not principal.is_platform_admin:
        raise Forbidden(Message("Only platform administrators add users to any organisation."))
    org = session.get(Organisation, data.organisation_id)
    if org is None:
        raise InvalidInput(
            Message("No organisation %(id)s.", id=data.organisation_id),
            errors=[("body.organisation_id", Message("no such organisation"))],
        )
    user = User(
        organisation_id=org.id,
        email=_check_email_free(session, str(data.email)),
        name=data.name,
        role=data.role,
        password_hash=hash_password(data.password) if data.password else None,
        password_changed_at=utc_now() if data.password else None,
    )
    session.add(user)
    session.flush()
    details = {"email": user.email, "role": user.role.value, "organisation_id": org.id}
    audit.record_change(
        session,
        principal,
        "user.created",
        record_type="user",
        record_id=user.id,
        organisation_id=org.id,
        details=details,
        actor_label=actor_label,
    )
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    """A user by e-mail, in any case."""
    return session.scalars(select(User).where(User.email == email.strip().lower())).one_or_none()


def active_principal(session: Session, email: str) -> Principal | None:
    """The Principal of the active user with this e-mail (whom a command acts as), or None."""
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        return None
    return principal_for(user, get_organisation(session, user.organisation_id))


def list_users(session: Session, principal: Principal) -> list[User]:
    """The users of the caller's organisation (admins and analysts)."""
    if principal.role not in (Role.admin, Role.analyst):
        raise Forbidden(Message("Only admins and analysts list the users of their organisation."))
    stmt = select(User).where(User.organisation_id == principal.organisation_id)
    return list(session.scalars(stmt.order_by(User.name)).all())


def all_users(session: Session) -> list[tuple[User, Organisation]]:
    """Every user with their organisation (for the operator's CLI)."""
    rows = session.execute(
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.organisation_id)
        .order_by(Organisation.country, Organisation.name, User.email)
    ).all()
    return [(u, o) for u, o in rows]


def is_invited(session: Session, user: User) -> bool:
    """Invited and not yet accepted."""
    return user.password_hash is None


def _own_user(session: Session, principal: Principal, user_id: int) -> User:
    """A user of the admin's own organisation; others' users are as absent as missing ones."""
    if not principal.is_admin:
        raise Forbidden(Message("Only an administrator of your organisation manages its users."))
    user = session.scalars(
        select(User).where(User.id == user_id, User.organisation_id == principal.organisation_id)
    ).one_or_none()
    if user is None:
        raise NotFound(Message("No user %(id)s in your organisation.", id=user_id))
    return user


def _send_invitation(
    session: Session, principal: Principal, user: User, settings: Settings, action: str
) -> str:
    """A fresh one-time link for an invited user; earlier links stop working."""
    session.execute(delete(Invitation).where(Invitation.user_id == user.id))
    raw = secrets.token_urlsafe(32)
    expires = utc_now() + timedelta(days=settings.invite_days)
    session.add(Invitation(user_id=user.id, token_hash=digest(raw), expires_at=expires))
    session.flush()
    details = {"email": user.email, "role": user.role.value}
    audit.record_change(
        session,
        principal,
        action,
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
        details=details,
    )
    return raw


def invite_user(
    session: Session, principal: Principal, *, data: InviteCreate, settings: Settings
) -> tuple[User, str]:
    """An org admin invites a colleague; returns the user and the one-time invitation token."""
    if not principal.is_admin:
        raise Forbidden(Message("Only an administrator of your organisation invites users."))
    user = User(
        organisation_id=principal.organisation_id,
        email=_check_email_free(session, str(data.email)),
        name=data.name,
        role=data.role,
    )
    session.add(user)
    session.flush()
    return user, _send_invitation(session, principal, user, settings, "user.invited")


def reissue_invitation(
    session: Session, principal: Principal, user_id: int, *, settings: Settings
) -> tuple[User, str]:
    """A new link for a colleague whose invitation was lost or expired."""
    user = _own_user(session, principal, user_id)
    if user.password_hash is not None:
        raise Conflict(
            Message("%(email)s has already accepted the invitation.", email=user.email),
            errors=[("user_id", Message("already accepted"))],
        )
    if not user.active:
        raise Conflict(
            Message("%(email)s is deactivated.", email=user.email),
            errors=[("user_id", Message("deactivated"))],
        )
    return user, _send_invitation(session, principal, user, settings, "user.reinvited")


def find_invitation(session: Session, raw_token: str) -> tuple[Invitation, User] | None:
    """An open, unexpired invitation by its token."""
    row = session.execute(
        select(Invitation, User)
        .join(User, User.id == Invitation.user_id)
        .where(Invitation.token_hash == digest(raw_token), Invitation.accepted_at.is_(None))
    ).one_or_none()
    if row is None or row[0].expires_at < utc_now() or not row[1].active:
        return None
    return row[0], row[1]


def accept_invitation(session: Session, raw_token: str, *, password: str) -> User:
    """The invited user sets their password; the link then stops working."""
    found = find_invitation(session, raw_token)
    if found is None:
        raise NotFound(
            Message("This invitation link is unknown, used or expired. Ask your administrator.")
        )
    invitation, user = found
    _check_password_strength(password, user.email)
    invitation.accepted_at = utc_now()
    user.password_hash = hash_password(password)
    user.password_changed_at = utc_now()
    session.flush()
    audit.record_change(
        session,
        None,
        "user.invitation_accepted",
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
        topic="user.activated",
        actor_label=user.email,
    )
    return user


def set_user_active(session: Session, principal: Principal, user_id: int, *, active: bool) -> User:
    """An org admin deactivates (or reactivates) a user of their own organisation."""
    user = _own_user(session, principal, user_id)
    if user.id == principal.user_id and not active:
        raise InvalidInput(
            Message("You cannot deactivate yourself."), errors=[("user_id", Message("yourself"))]
        )
    user.active = active
    if not active:
        # A deactivated user is logged out everywhere at once.
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at = utc_now()
    session.flush()
    action = "user.reactivated" if active else "user.deactivated"
    audit.record_change(
        session,
        principal,
        action,
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )
    return user


def set_user_role(session: Session, principal: Principal, user_id: int, *, role: Role) -> User:
    """An org admin gives a colleague another role (never their own, so one admin always stays)."""
    user = _own_user(session, principal, user_id)
    if user.id == principal.user_id:
        # Changing one's own role could leave the organisation without anyone to undo it.
        raise InvalidInput(
            Message("You cannot change your own role; ask another administrator."),
            errors=[("body.role", Message("your own role"))],
        )
    if user.role == role:
        return user
    before = user.role
    user.role = role
    session.flush()
    audit.record_change(
        session,
        principal,
        "user.role_changed",
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
        details={"email": user.email, "from": before.value, "to": role.value},
    )
    return user


def _check_password_strength(password: str, email: str) -> None:
    if len(password) < 12:
        raise InvalidInput(
            Message("The password must have at least 12 characters."),
            errors=[("body.new_password", Message("at least 12 characters"))],
        )
    if password.lower() in email.lower() or email.split("@")[0].lower() in password.lower():
        raise InvalidInput(
            Message("The password must not contain your e-mail name."),
            errors=[("body.new_password", Message("contains your e-mail name"))],
        )


def change_password(
    session: Session,
    principal: Principal,
    *,
    current: str,
    new: str,
    keep_session_id: int | None = None,
) -> None:
    """A user changes their password; their other browser sessions end."""
    user = session.get(User, principal.user_id)
    if user is None or not _password_matches(user.password_hash, current):
        raise InvalidInput(
            Message("The current password is wrong."),
            errors=[("body.current_password", Message("wrong password"))],
        )
    _check_password_strength(new, user.email)
    user.password_hash = hash_password(new)
    user.password_changed_at = utc_now()
    # Whoever else knew the old password is logged out everywhere but here.
    others = delete(WebSession).where(WebSession.user_id == user.id)
    if keep_session_id is not None:
        others = others.where(WebSession.id != keep_session_id)
    session.execute(others)
    session.flush()
    audit.record_change(
        session,
        principal,
        "user.password_changed",
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
    )


def set_locale(session: Session, principal: Principal, locale: str) -> None:
    """Remember the user's language."""
    user = session.get(User, principal.user_id)
    if user is not None:
        user.locale = locale
        session.flush()


# --- Login and lock-out -----------------------------------------------------------------------


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to."""

    user: User | None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        """The password was right and the account may log in."""
        return self.user is not None


def _failure_row(session: Session, key: str) -> LoginFailure | None:
    return session.scalars(select(LoginFailure).where(LoginFailure.key == key)).one_or_none()


def _locked_until(session: Session, keys: list[str]) -> datetime | None:
    now = utc_now()
    for key in keys:
        row = _failure_row(session, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            return row.locked_until
    return None


def _count_failure(session: Session, key: str, settings: Settings) -> None:
    now = utc_now()
    window = timedelta(minutes=settings.login_lockout_minutes)
    row = _failure_row(session, key)
    if row is None:
        row = LoginFailure(key=key, failures=0, first_failure_at=now)
        session.add(row)
    elif row.first_failure_at < now - window:
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= settings.login_max_failures:
        row.locked_until = now + window
    session.flush()


def authenticate(
    session: Session, *, email: str, password: str, client: str, settings: Settings
) -> LoginOutcome:
    """Check a password login, counting failures per account and per client address.

    Failures are written, not raised, so the caller's transaction keeps the count.
    """
    email = email.strip().lower()[:254]
    keys = [f"email:{email}", f"ip:{client}"]
    user = find_user_by_email(session, email)
    locked = _locked_until(session, keys)
    if locked is not None:
        audit.record(
            session,
            None,
            "login.locked_out",
            actor_label=email,
            details={"client": client},
            organisation_id=user.organisation_id if user else None,
        )
        return LoginOutcome(None, locked)
    org = session.get(Organisation, user.organisation_id) if user else None
    if (
        user is None
        or org is None
        or not _password_matches(user.password_hash, password)
        or not _may_act(user, org)
    ):
        for key in keys:
            _count_failure(session, key, settings)
        audit.record(
            session,
            None,
            "login.failed",
            actor_label=email,
            details={"client": client},
            organisation_id=user.organisation_id if user else None,
        )
        return LoginOutcome(None, _locked_until(session, keys))
    session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    return LoginOutcome(user)


def start_web_session(
    session: Session, user: User, *, settings: Settings, client: str
) -> tuple[str, WebSession]:
    """Open a browser session after a correct password; returns the cookie value."""
    raw = secrets.token_urlsafe(32)
    now = utc_now()
    web = WebSession(
        token_hash=digest(raw),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        mfa_pending=user.totp_enabled,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_hours),
    )
    session.add(web)
    if not web.mfa_pending:
        user.last_login_at = now
    session.flush()
    audit.record(
        session,
        None,
        "login.password_ok",
        record_type="user",
        record_id=user.id,
        actor_label=user.email,
        details={"client": client, "mfa": user.totp_enabled},
        organisation_id=user.organisation_id,
    )
    return raw, web


@dataclass(frozen=True)
class WebIdentity:
    """Who a browser session belongs to, and what it still has to do."""

    principal: Principal
    web_session: WebSession
    must_set_up_2fa: bool
    # Copied out of the row: error pages render after a rollback has expired it.
    csrf_token: str
    session_id: int


def session_identity(session: Session, raw: str, settings: Settings) -> WebIdentity | None:
    """The identity behind a session cookie, sliding its expiry; None if it is not valid."""
    web = session.scalars(
        select(WebSession).where(WebSession.token_hash == digest(raw))
    ).one_or_none()
    now = utc_now()
    if web is None or web.expires_at < now:
        return None
    found = _user_and_org(session, web.user_id)
    if found is None or not _may_act(*found):
        return None
    user, org = found
    if (now - web.last_seen_at) > timedelta(minutes=1):
        web.last_seen_at = now
        web.expires_at = now + timedelta(hours=settings.session_hours)
    return WebIdentity(
        principal_for(user, org),
        web,
        must_set_up_2fa=org.require_2fa and not user.totp_enabled,
        csrf_token=web.csrf_token,
        session_id=web.id,
    )


def end_web_session(session: Session, raw: str) -> None:
    """Log out: the session row is deleted."""
    web = session.scalars(
        select(WebSession).where(WebSession.token_hash == digest(raw))
    ).one_or_none()
    if web is not None:
        user = session.get(User, web.user_id)
        session.delete(web)
        session.flush()
        audit.record(
            session,
            None,
            "logout",
            record_type="user",
            record_id=web.user_id,
            actor_label=user.email if user else f"user:{web.user_id}",
            organisation_id=user.organisation_id if user else None,
        )


# --- Two-factor login (TOTP) ------------------------------------------------------------------


def _totp_step_ok(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    code = code.strip().replace(" ", "")
    now = utc_now()
    for offset in (-1, 0, 1):
        at = now + timedelta(seconds=30 * offset)
        step = int(at.timestamp()) // 30
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if secrets.compare_digest(totp.at(at), code):
            user.totp_last_step = step
            return True
    return False


def complete_2fa_login(
    session: Session, web: WebSession, code: str, *, client: str, settings: Settings
) -> bool:
    """Accept the second factor of a pending session; wrong codes count as failed logins."""
    user = session.get(User, web.user_id)
    if user is None:
        return False
    key = f"email:{user.email}"
    if _locked_until(session, [key]) is not None:
        return False
    if not _totp_step_ok(user, code):
        _count_failure(session, key, settings)
        audit.record(
            session,
            None,
            "login.2fa_failed",
            record_type="user",
            record_id=user.id,
            actor_label=user.email,
            details={"client": client},
            organisation_id=user.organisation_id,
        )
        return False
    web.mfa_pending = False
    user.last_login_at = utc_now()
    session.flush()
    audit.record(
        session,
        None,
        "login.2fa_ok",
        record_type="user",
        record_id=user.id,
        actor_label=user.email,
        details={"client": client},
        organisation_id=user.organisation_id,
    )
    return True


def pending_session(session: Session, raw: str) -> WebSession | None:
    """A session that still waits for its second factor."""
    web = session.scalars(
        select(WebSession).where(WebSession.token_hash == digest(raw))
    ).one_or_none()
    if web is None or not web.mfa_pending or web.expires_at < utc_now():
        return None
    return web


def new_totp_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def totp_provisioning(principal: Principal, secret: str) -> tuple[str, str]:
    """The otpauth:// URI and an inline SVG QR code of it, for an authenticator app."""
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=principal.email, issuer_name="Precursor Exchange"
    )
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return uri, str(svg)


def enable_totp(session: Session, principal: Principal, *, secret: str, code: str) -> None:
    """Turn on two-factor login once the user proved their app shows the right code."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound(Message("No such user."))
    if not pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), valid_window=1):
        raise InvalidInput(
            Message("That code does not match. Check the time on your device."),
            errors=[("code", Message("wrong code"))],
        )
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = int(utc_now().timestamp()) // 30
    session.flush()
    audit.record_change(
        session,
        principal,
        "user.2fa_enabled",
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
    )


def disable_totp(session: Session, principal: Principal, *, password: str) -> None:
    """Turn off two-factor login (not allowed where the organisation requires it)."""
    found = _user_and_org(session, principal.user_id)
    if found is None:
        raise NotFound(Message("No such user."))
    user, org = found
    if org.require_2fa:
        raise Forbidden(Message("Your organisation requires two-factor login."))
    if not _password_matches(user.password_hash, password):
        raise InvalidInput(
            Message("The password is wrong."), errors=[("password", Message("wrong password"))]
        )
    user.totp_secret, user.totp_enabled, user.totp_last_step = None, False, None
    session.flush()
    audit.record_change(
        session,
        principal,
        "user.2fa_disabled",
        record_type="user",
        record_id=user.id,
        organisation_id=user.organisation_id,
    )


# --- API tokens -------------------------------------------------------------------------------


def issue_api_token(
    session: Session,
    user: User,
    *,
    name: str,
    days: int,
    actor: Principal | None = None,
    actor_label: str | None = None,
) -> tuple[str, ApiToken]:
    """A new bearer token for a user; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=digest(raw),
        prefix=raw[:14],
        expires_at=utc_now() + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    audit.record_change(
        session,
        actor,
        "api_token.issued",
        record_type="api_token",
        record_id=token.id,
        organisation_id=user.organisation_id,
        details={"user_id": user.id, "name": name, "days": days},
        actor_label=actor_label,
    )
    return raw, token


def issue_own_token(
    session: Session, principal: Principal, *, name: str, days: int | None, settings: Settings
) -> tuple[str, ApiToken]:
    """The caller creates a token for themselves (PRECX_TOKEN_DAYS long unless they say)."""
    found = _user_and_org(session, principal.user_id)
    if found is None:
        raise NotFound(Message("No such user."))
    user, org = found
    if org.require_2fa and not user.totp_enabled:
        raise Forbidden(
            Message(
                "Your organisation requires two-factor login: set it up before creating API tokens."
            )
        )
    return issue_api_token(
        session, user, name=name, days=days or settings.token_days, actor=principal
    )


def token_principal(session: Session, raw: str) -> Principal | None:
    """The principal behind a bearer token, noting when it was last used; None if not valid."""
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest(raw))
    ).one_or_none()
    now = utc_now()
    if token is None or token.revoked_at is not None or token.expires_at < now:
        return None
    found = _user_and_org(session, token.user_id)
    if found is None or not _may_act(*found):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return principal_for(*found)


def list_api_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    """The caller's own tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == principal.user_id)
    return list(session.scalars(stmt.order_by(ApiToken.id.desc())).all())


def revoke_api_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    """Revoke one of the caller's tokens."""
    token = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == principal.user_id)
    ).one_or_none()
    if token is None:
        raise NotFound(Message("No API token %(id)s.", id=token_id))
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        session.flush()
        audit.record_change(
            session,
            principal,
            "api_token.revoked",
            record_type="api_token",
            record_id=token.id,
            organisation_id=principal.organisation_id,
        )
    return token


def organisation_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Names of organisations by id (for showing who owns the records a user may already see)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    ).all()
    return {row[0]: row[1] for row in rows}


@dataclass(frozen=True)
class DemoAccount:
    """A demo organisation and its logins, shown on the login page in demo mode."""

    organisation: str
    kind: str
    country: str
    logins: list[tuple[str, str]]  # (e-mail, role)


def demo_accounts(session: Session) -> list[DemoAccount]:
    """The active users of the fictional demo organisations, grouped by organisation."""
    kind_order = {kind: n for n, kind in enumerate(OrgKind)}
    role_order = {role: n for n, role in enumerate(Role)}
    rows = session.execute(
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.demo.is_(True), User.active.is_(True))
    ).all()
    grouped: dict[int, DemoAccount] = {}
    for user, org in sorted(
        rows, key=lambda r: (r[1].country, kind_order[r[1].kind], r[1].name, role_order[r[0].role])
    ):
        entry = grouped.setdefault(org.id, DemoAccount(org.name, org.kind.value, org.country, []))
        entry.logins.append((user.email, user.role.value))
    return list(grouped.values())
