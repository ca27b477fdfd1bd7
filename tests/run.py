"""`make test`: lint, then the whole suite on SQLite and, beside it, on PostgreSQL.

PostgreSQL is used when PRECX_TEST_POSTGRES_URL is set or the local server answers; under
CI=true its absence fails the run instead of being skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def run(step: str, args: list[str], env: dict[str, str] | None = None) -> None:
    print(f"\n=== {step}: {' '.join(args)}", flush=True)
    code = subprocess.call(args, cwd=ROOT, env={**os.environ, **(env or {})})
    if code != 0:
        print(f"=== {step} failed (exit {code})", flush=True)
        sys.exit(code)


def postgres_url() -> str | None:
    url = os.environ.get("PRECX_TEST_POSTGRES_URL") or LOCAL_POSTGRES
    try:
        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        print(f"PostgreSQL at {url} does not answer: {exc}", flush=True)
        return None
    return url


def main() -> None:
    run("ruff", [str(BIN / "ruff"), "check", "src", "tests", "migrations", "bench"])
    run("mypy", [str(BIN / "mypy")])
    run("import contracts", [str(BIN / "lint-imports")])
    pytest = [str(BIN / "python"), "-m", "pytest", "-p", "no:cacheprovider", *sys.argv[1:]]
    url = postgres_url()
    if url is None and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        print("CI requires PostgreSQL: failing.", flush=True)
        sys.exit(1)
    # Each pass is one pytest process on one core: the PostgreSQL pass runs beside the SQLite
    # one, so the suite takes the time of the longer pass rather than of both.
    with tempfile.TemporaryFile("w+", prefix="precx-pg-tests-") as log:
        postgres = None
        if url is not None:
            args = [*pytest, "-m", "not e2e"]
            print(f"\n=== tests on PostgreSQL (beside SQLite): {' '.join(args)}", flush=True)
            env = {**os.environ, "PRECX_TEST_BACKEND": "postgresql", "PRECX_TEST_POSTGRES_URL": url}
            postgres = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        print(f"\n=== tests on SQLite: {' '.join(pytest)}", flush=True)
        sqlite_env = {**os.environ, "PRECX_TEST_BACKEND": "sqlite"}
        sqlite_code = subprocess.call(pytest, cwd=ROOT, env=sqlite_env)
        print(f"\n=== tests on SQLite ended (exit {sqlite_code})", flush=True)
        postgres_code = 0
        if postgres is None:
            print("PostgreSQL not reachable: its pass is left out (outside CI only).", flush=True)
        else:
            postgres_code = postgres.wait()
            log.seek(0)
            print("\n=== tests on PostgreSQL: its output", flush=True)
            sys.stdout.write(log.read())
            print(f"=== tests on PostgreSQL ended (exit {postgres_code})", flush=True)
    if sqlite_code or postgres_code:
        sys.exit(sqlite_code or postgres_code)


if __name__ == "__main__":
    main()
