"""Commit -> SSE delivery latency with 1,000 connected subscribers (target: p99 <= 1 s).

Starts `precx serve` (uvicorn) on 127.0.0.1 at a random port over a fresh database, opens 1,000
event streams (one per user, each with its own API token and an inbox subscription), posts
bulletins to all authorities through the API, and measures, for every stream, the time from the
moment the POST was sent (so the request's own processing counts against us) to the moment the
stream delivered the item. Loopback only. SQLite by default; PRECX_BENCH_POSTGRES_URL (a server
URL whose databases we may create) runs it on PostgreSQL instead.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import make_url, update

from precx.accounts import service as accounts_service
from precx.accounts.principal import OrgKind, Role
from precx.accounts.schemas import OrganisationCreate, UserCreate
from precx.config import Settings
from precx.db import make_engine, make_session_factory, unit_of_work, utc_now
from precx.events.models import OutboxEvent, Subscription
from precx.schema import upgrade

SUBSCRIBERS = int(os.environ.get("PRECX_BENCH_SUBSCRIBERS", "1000"))
EVENTS = int(os.environ.get("PRECX_BENCH_EVENTS", "30"))
GAP_SECONDS = float(os.environ.get("PRECX_BENCH_GAP_SECONDS", "0.5"))
COUNTRIES = ("DE", "PL", "KZ", "FR", "NL", "AT", "CZ", "LT", "LV", "EE")
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database() -> tuple[str, str | None]:
    server = os.environ.get("PRECX_BENCH_POSTGRES_URL")
    if not server:
        return f"sqlite:///{tempfile.mkdtemp()}/bench-events.db", None
    name = f"precx_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server).set(database=name).render_as_string(hide_password=False), name


def _populate(url: str) -> tuple[list[str], str]:
    """Authorities in ten countries, SUBSCRIBERS users with tokens and inbox subscriptions."""
    settings = Settings(database_url=url, demo=False)
    upgrade(settings)
    engine = make_engine(settings)
    tokens: list[str] = []
    # Tokens act only for users who can log in: one password hash for all (argon2 is slow).
    password_hash = accounts_service.hash_password("bench password not used for logging in")
    with unit_of_work(make_session_factory(engine)) as session:
        orgs = [
            accounts_service.create_organisation(
                session,
                None,
                data=OrganisationCreate(
                    name=f"Bench authority {c}", kind=OrgKind.licensing_authority, country=c
                ),
                actor_label="bench",
            )
            for c in COUNTRIES
        ]
        for n in range(SUBSCRIBERS + 1):
            org = orgs[n % len(orgs)]
            user = accounts_service.create_user(
                session,
                None,
                actor_label="bench",
                data=UserCreate(
                    email=f"user{n}@bench.example",
                    name=f"User {n}",
                    role=Role.analyst,
                    organisation_id=org.id,
                ),
            )
            user.password_hash = password_hash
            raw, _ = accounts_service.issue_api_token(
                session, user, name="bench", days=1, actor_label="bench"
            )
            tokens.append(raw)
            if n:  # user 0 posts; the others listen
                session.add(
                    Subscription(user_id=user.id, organisation_id=org.id, name="everything")
                )
        # Set-up events are not what is measured.
        session.execute(update(OutboxEvent).values(delivered_at=utc_now()))
    engine.dispose()
    return tokens[1:], tokens[0]


Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _open_stream(port: int, token: str) -> Stream:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"stream refused: {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    # The writer is kept: a collected StreamWriter closes its connection.
    return reader, writer


async def _listen(
    reader: asyncio.StreamReader, received: dict[str, list[float]], expected: int
) -> None:
    got = 0
    while got < expected:
        line = await reader.readline()
        if not line:
            return
        # Chunked framing: data lines are the only ones that start with "data: ".
        if line.startswith(b"data: "):
            title = json.loads(line[6:])["title"]
            received.setdefault(title, []).append(time.perf_counter())
            got += 1


def _post(port: int, token: str, title: str) -> None:
    body = json.dumps(
        {"title": title, "body": "Benchmark text.", "distribution": "authorities"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/bulletins",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201


async def _measure(port: int, tokens: list[str], poster: str) -> tuple[list[float], float]:
    started = time.perf_counter()
    readers: list[Stream] = []
    for chunk in range(0, len(tokens), 100):
        readers += await asyncio.gather(
            *(_open_stream(port, t) for t in tokens[chunk : chunk + 100])
        )
    connect_seconds = time.perf_counter() - started
    await asyncio.sleep(1.0)  # let the hub settle
    received: dict[str, list[float]] = {}
    listeners = [asyncio.create_task(_listen(r, received, EVENTS)) for r, _w in readers]
    sent: dict[str, float] = {}
    print(f"  posting events to {len(tokens)} open streams", flush=True)  # a profiler's cue
    for n in range(EVENTS):
        title = f"Bench event {n}"
        sent[title] = time.perf_counter()
        await asyncio.to_thread(_post, port, poster, title)
        await asyncio.sleep(GAP_SECONDS)
    await asyncio.wait(listeners, timeout=30)
    latencies = [(t - sent[title]) * 1000 for title, times in received.items() for t in times]
    missing = EVENTS * len(tokens) - len(latencies)
    if missing:
        print(f"  {missing} deliveries missing")
    return latencies, connect_seconds


def _wait_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("the server exited") from None
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main() -> None:
    url, pg_name = _database()
    backend = "PostgreSQL" if pg_name else "SQLite"
    print(
        f"event delivery: {SUBSCRIBERS} SSE subscribers, {EVENTS} events "
        f"{GAP_SECONDS} s apart, {backend}"
    )
    tokens, poster = _populate(url)
    port = _free_port()
    env = {
        **os.environ,
        "PRECX_DATABASE_URL": url,
        "PRECX_PORT": str(port),
        "PRECX_DEMO": "false",
        "PRECX_LOG_LEVEL": "warning",
        "PRECX_SSE_BUFFER_EVENTS": "256",
    }
    server = subprocess.Popen([sys.executable, "-m", "precx", "serve"], env=env, cwd=ROOT)
    try:
        _wait_ready(f"http://127.0.0.1:{port}", server)
        time.sleep(3)  # screening warms up its index at start; not what is measured
        latencies, connect_seconds = asyncio.run(_measure(port, tokens, poster))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if pg_name:
            admin = make_url(os.environ["PRECX_BENCH_POSTGRES_URL"]).set(drivername="postgresql")
            with psycopg.connect(
                admin.render_as_string(hide_password=False), autocommit=True
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    python = platform.python_version()
    print(f"  machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    print(f"  date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"  {len(tokens)} streams opened in {connect_seconds:.1f} s")
    print(f"  deliveries measured: {len(latencies)}")
    print(
        f"  commit -> SSE receipt: p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, "
        f"p99 {q[98]:.0f} ms, max {latencies[-1]:.0f} ms (target p99 <= 1000 ms)"
    )


if __name__ == "__main__":
    main()
