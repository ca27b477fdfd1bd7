"""The FastAPI application factory: routers of every feature, error handling, the dispatcher."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from precx import __version__
from precx.accounts import api as accounts_api
from precx.accounts import views as accounts_views
from precx.accounts.auth import SESSION_COOKIE, LoginRequired, SecondFactorRequired, web_identity
from precx.accounts.service import WebIdentity
from precx.audit import api as audit_api
from precx.audit import views as audit_views
from precx.bulletins import api as bulletins_api
from precx.bulletins import views as bulletins_views
from precx.catalog import api as catalog_api
from precx.catalog import views as catalog_views
from precx.config import Settings, get_settings
from precx.db import make_engine, make_session_factory, ping, unit_of_work
from precx.declarations import api as declarations_api
from precx.declarations import views as declarations_views
from precx.events import api as events_api
from precx.events import views as events_views
from precx.events.dispatcher import OutboxDispatcher
from precx.events.sse import StreamHub
from precx.incidents import api as incidents_api
from precx.incidents import views as incidents_views
from precx.kit import i18n
from precx.kit.i18n import field_message
from precx.kit.problems import PROBLEM_BASE, DomainError, FieldError, Problem, problem_responses
from precx.kit.security_headers import SecurityHeaders
from precx.licensing import api as licensing_api
from precx.licensing import views as licensing_views
from precx.notifications import api as notifications_api
from precx.notifications import views as notifications_views
from precx.notifications.sweeper import DeadlineSweeper
from precx.reports import api as reports_api
from precx.reports import views as reports_views
from precx.screening import api as screening_api
from precx.screening import service as screening_service
from precx.screening import views as screening_views
from precx.sharing import api as sharing_api
from precx.sharing import views as sharing_views
from precx.web import views as web_views
from precx.web.templating import render

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
}
# /docs loads Swagger UI's inline bootstrap script; everything else gets the strict policy.
DOCS_PATHS = ("/docs",)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/healthz", "/readyz")


def _problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type="application/problem+json",
        headers=headers,
    )


def _page_identity(request: Request) -> WebIdentity | None:
    """Who is looking at an error page, so it keeps their navigation.

    A path no route matched never ran the route's login dependency: look the session up here.
    The error page must render even when the database does not answer, so that failure is
    answered as anonymous.
    """
    identity: WebIdentity | None = getattr(request.state, "identity", None)
    if identity is not None or not request.cookies.get(SESSION_COOKIE):
        return identity
    try:
        with unit_of_work(request.app.state.session_factory) as session:
            return web_identity(request, session)
    except Exception:
        log.warning("could not identify the user of an error page", exc_info=True)
        return None


def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
    identity = _page_identity(request)
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "detail": detail},
        principal=identity.principal if identity else None,
        status_code=status,
    )


async def handle_domain_error(request: Request, exc: Exception) -> Response:
    """Problem details for the API; an error page, or the login page, for the web."""
    assert isinstance(exc, DomainError)
    if not _is_api(request):
        if isinstance(exc, LoginRequired):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        if isinstance(exc, SecondFactorRequired):
            return RedirectResponse("/account/2fa", status_code=303)
        return _error_page(request, exc.status, exc.title, exc.detail)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return _problem_response(exc.to_problem(request.url.path), headers)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """Request validation failures as problem details naming each field at fault."""
    assert isinstance(exc, RequestValidationError)
    raw = exc.errors()
    errors = [
        FieldError(field=".".join(str(p) for p in err.get("loc", ())), message=str(err["msg"]))
        for err in raw
    ]
    problem = Problem(
        type=PROBLEM_BASE + "invalid-input",
        title="Invalid input",
        status=422,
        detail="; ".join(f"{e.field}: {e.message}" for e in errors[:5]),
        instance=request.url.path,
        errors=errors,
    )
    if not _is_api(request):
        # The page names the first field at fault, in its reader's language.
        first = raw[0] if raw else {}
        where = errors[0].field if errors else ""
        detail = i18n.Message("%(field)s: %(message)s", field=where, message=field_message(first))
        return _error_page(request, 422, "Invalid input", detail)
    return _problem_response(problem)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Framework errors (unknown path, wrong method) in the same two shapes."""
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 401: "Not authenticated"}
    title = titles.get(exc.status_code, "Error")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names only the first matching route's methods; name them all.
        headers["Allow"] = ", ".join(sorted(_allowed_methods(request)))
    detail = "There is nothing at this address." if exc.status_code == 404 else str(exc.detail)
    if not _is_api(request):
        return _error_page(request, exc.status_code, title, detail)
    slug = title.lower().replace(" ", "-")
    return _problem_response(
        Problem(
            type=PROBLEM_BASE + slug,
            title=title,
            status=exc.status_code,
            detail=detail,
            instance=request.url.path,
        ),
        headers,
    )


def _allowed_methods(request: Request) -> set[str]:
    path = request.url.path
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    if path in paths:
        # A literal route (/licences/verify) wins over a template (/licences/{id:int}) whose
        # path convertor the OpenAPI document no longer shows.
        return {m.upper() for m in paths[path]}
    methods: set[str] = set()
    for template, operations in paths.items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            methods |= {m.upper() for m in operations}
    return methods or {"GET"}


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    """Anything else: logged in full, answered without a trace."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    detail = "Something went wrong on our side. It has been logged; please try again."
    if not _is_api(request):
        return _error_page(request, 500, "Internal error", detail)
    return _problem_response(
        Problem(
            type=PROBLEM_BASE + "internal-error", title="Internal error", status=500, detail=detail
        )
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    settings = settings or get_settings()
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    sweeper = DeadlineSweeper(factory, settings.pen_sweep_seconds)
    hub = StreamHub(factory, settings.sse_buffer_events, settings.dispatcher_poll_seconds)
    dispatcher = OutboxDispatcher(
        factory, engine, settings.dispatcher_poll_seconds, settings=settings, hub=hub
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.dispatcher_enabled:
            dispatcher.start()
            sweeper.start()
            # A serving process gets ready for its first screening in the background.
            threading.Thread(
                target=screening_service.warm_up, args=(factory,), daemon=True, name="warm-up"
            ).start()
        yield
        await hub.stop()
        await dispatcher.stop()
        await sweeper.stop()
        engine.dispose()

    app = FastAPI(
        title="Precursor Exchange API",
        version=__version__,
        description="Information exchange against the diversion of drug precursor chemicals. "
        "Authenticate with `Authorization: Bearer <token>` (`precx users token EMAIL`).",
        lifespan=lifespan,
        # Any operation can meet a body that is not JSON at all (400) or fail on our side (500).
        responses=problem_responses(400, 422, 500),
        # Swagger UI is served from vendored files below, never from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = factory
    app.state.dispatcher = dispatcher
    app.state.stream_hub = hub

    app.add_exception_handler(DomainError, handle_domain_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected)

    app.add_middleware(
        SecurityHeaders,
        headers=SECURITY_HEADERS,
        csp_exempt_paths=DOCS_PATHS,
        secure_cookies=settings.cookie_secure,
    )

    @app.get("/healthz", tags=["operations"], summary="The process is alive")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="The database answers",
        responses={503: {"model": Problem}},
    )
    def readyz() -> Any:
        try:
            ping(engine)
        except Exception:
            log.exception("readiness check failed")
            return _problem_response(
                Problem(
                    type=PROBLEM_BASE + "not-ready",
                    title="Not ready",
                    status=503,
                    detail="The database does not answer.",
                )
            )
        return {"status": "ready"}

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Precursor Exchange API",
            swagger_js_url="/static/vendor/swagger-ui-bundle-5.35.0.js",
            swagger_css_url="/static/vendor/swagger-ui-5.35.0.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    for module in (accounts_api, sharing_api, audit_api, bulletins_api, catalog_api, screening_api):
        app.include_router(module.router)
    for module in (
        web_views,
        accounts_views,
        sharing_views,
        audit_views,
        bulletins_views,
        catalog_views,
        screening_views,
    ):
        app.include_router(module.router)
    app.include_router(licensing_api.router)
    app.include_router(licensing_views.router)
    app.include_router(declarations_api.router)
    app.include_router(declarations_api.paper_router)
    app.include_router(declarations_views.router)
    app.include_router(reports_api.router)
    app.include_router(reports_views.router)
    app.include_router(incidents_api.router)
    app.include_router(incidents_api.alerts_router)
    app.include_router(incidents_api.sightings_router)
    app.include_router(incidents_views.router)
    app.include_router(notifications_api.router)
    app.include_router(notifications_api.applications_router)
    app.include_router(notifications_api.customs_router)
    app.include_router(notifications_views.router)
    app.include_router(events_api.router)
    app.include_router(events_api.subscriptions_router)
    app.include_router(events_views.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
