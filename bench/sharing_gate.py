"""The sharing gate's cost: a page of bulletins and their count, with and without `visible()`.

The baseline is the same query without the gate, run in the same process on the same data, so
the difference is what the gate adds. Optionally on PostgreSQL (PRECX_BENCH_POSTGRES_URL).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from sqlalchemy import func, insert, make_url, select
from sqlalchemy.orm import Session

from precx.accounts import service as accounts_service
from precx.accounts.principal import OrgKind, Principal, Role
from precx.accounts.schemas import OrganisationCreate, UserCreate
from precx.bulletins import service as bulletins_service
from precx.bulletins.models import Bulletin
from precx.config import Settings
from precx.db import make_engine, make_session_factory, unit_of_work
from precx.kit.pagination import PageParams
from precx.schema import upgrade
from precx.sharing import service as sharing_service
from precx.sharing.models import Distribution, Tlp

RECORDS = int(os.environ.get("PRECX_BENCH_RECORDS", "100000"))
REPEAT = 30


def _timed(fn: Callable[[], object]) -> float:
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _populate(session: Session) -> dict[str, Principal]:
    orgs = {}
    specs = [
        ("authority", OrgKind.licensing_authority, "DE", False),
        ("customs", OrgKind.customs, "PL", False),
        ("industry", OrgKind.industry, "DE", True),
        ("other", OrgKind.industry, "KZ", False),
    ]
    principals = {}
    for key, kind, country, vetted in specs:
        org = accounts_service.create_organisation(
            session,
            None,
            data=OrganisationCreate(name=key, kind=kind, country=country, vetted=vetted),
            actor_label="bench",
        )
        user = accounts_service.create_user(
            session,
            None,
            actor_label="bench",
            data=UserCreate(
                email=f"{key}@bench.example", name=key, role=Role.analyst, organisation_id=org.id
            ),
        )
        orgs[key] = org
        principals[key] = accounts_service.principal_for(user, org)
    admin_user = accounts_service.create_user(
        session,
        None,
        actor_label="bench",
        data=UserCreate(
            email="admin@bench.example",
            name="admin",
            role=Role.admin,
            organisation_id=orgs["authority"].id,
        ),
    )
    admin = accounts_service.principal_for(admin_user, orgs["authority"])
    group = sharing_service.create_sharing_group(session, admin, name="bench group")
    sharing_service.add_group_member(session, admin, group.id, orgs["customs"].id)
    rng = random.Random(7)
    now = datetime.now(UTC)
    authors = [(principals[k].organisation_id, principals[k].user_id) for k in principals]
    rows = []
    for n in range(RECORDS):
        org_id, user_id = rng.choice(authors)
        distribution = rng.choice(list(Distribution))
        rows.append(
            {
                "title": f"Bulletin {n}",
                "body": "benchmark text",
                "distribution": distribution,
                "tlp": Tlp.amber,
                "owner_organisation_id": org_id,
                "created_by_id": user_id,
                "sharing_group_id": group.id
                if distribution is Distribution.sharing_group
                else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    # Bulk rows bypass the service on purpose: the benchmark measures reads, not 100k audits.
    for start in range(0, len(rows), 10_000):
        session.execute(insert(Bulletin), rows[start : start + 10_000])
    return principals


def run(database_url: str, label: str) -> list[str]:
    settings = Settings(database_url=database_url)
    upgrade(settings)
    factory = make_session_factory(make_engine(settings))
    with unit_of_work(factory) as session:
        principals = _populate(session)
    lines = []
    params = PageParams(per_page=50)
    with factory() as session:

        def baseline_page() -> None:
            session.scalars(
                select(Bulletin).order_by(Bulletin.created_at.desc(), Bulletin.id.desc()).limit(50)
            ).all()
            session.scalar(select(func.count()).select_from(Bulletin))

        base = _timed(baseline_page)
        lines.append(f"| {label} | no gate (baseline) | {base:.2f} | {RECORDS} |")
        for principal in principals.values():
            visible = bulletins_service.count_bulletins(session, principal)
            gated = _timed(lambda p=principal: bulletins_service.list_bulletins(session, p, params))
            lines.append(
                f"| {label} | gate, {principal.organisation_kind.value} "
                f"{principal.country} | {gated:.2f} | {visible} |"
            )
    return lines


def main() -> None:
    print(
        f"# sharing gate: page of 50 + total count over {RECORDS} bulletins, median of "
        f"{REPEAT} runs"
    )
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}"
    )
    print("| database | query | ms (median) | rows visible |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for line in run(f"sqlite:///{folder}/bench.db", "SQLite"):
            print(line)
    server = os.environ.get(
        "PRECX_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    url = make_url(server)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"precx_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable ({exc}); its rows are left out")
        return
    try:
        for line in run(url.set(database=name).render_as_string(hide_password=False), "PostgreSQL"):
            print(line)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
