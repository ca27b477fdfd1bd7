"""Screening a file in the background, so the page can show its progress while it runs."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from precx.accounts.principal import Principal
from precx.db import unit_of_work
from precx.kit.problems import DomainError
from precx.screening import service as screening_service
from precx.screening.models import ScreeningBatch
from precx.screening.orders import read_orders

log = logging.getLogger(__name__)

# Progress of the batches this process runs: the page polls it. The batch row holds the outcome
# for every process; on PostgreSQL it also holds the progress (SQLite allows one writer at a
# time, and the screening transaction is that writer until it commits).
_progress: dict[int, tuple[int, int]] = {}
_lock = threading.Lock()
PROGRESS_EVERY_SECONDS = 0.5


def progress(batch_id: int) -> tuple[int, int] | None:
    """Orders done and counted so far of a batch this process is running."""
    with _lock:
        return _progress.get(batch_id)


def _count_rows(path: Path) -> int:
    try:
        return sum(1 for _ in read_orders(path))
    except DomainError:
        return 0  # the screening pass reports the problem with its line


def _wait_for_batch(factory: sessionmaker[Session], batch_id: int) -> bool:
    # The request that created the batch commits after it has started this thread.
    for _ in range(100):
        with unit_of_work(factory) as session:
            if session.get(ScreeningBatch, batch_id) is not None:
                return True
        time.sleep(0.1)
    return False


def run_batch(
    factory: sessionmaker[Session], principal: Principal, batch_id: int, path: Path
) -> None:
    """Screen a file and store all its results, or record why none were stored."""
    try:
        if not _wait_for_batch(factory, batch_id):
            log.error("screening batch %s never appeared", batch_id)
            return
        total = _count_rows(path)
        with _lock:
            _progress[batch_id] = (0, total)
        shared_progress = factory.kw.get("bind") is not None and (
            factory.kw["bind"].dialect.name == "postgresql"
        )
        last = time.monotonic()

        def advance(done: int) -> None:
            nonlocal last
            with _lock:
                _progress[batch_id] = (done, total)
            if shared_progress and time.monotonic() - last > PROGRESS_EVERY_SECONDS:
                last = time.monotonic()
                with unit_of_work(factory) as session:
                    screening_service.set_batch_progress(session, batch_id, done=done, total=total)

        try:
            with unit_of_work(factory) as session:
                screened = screening_service.screen_orders(
                    session,
                    principal,
                    read_orders(path),
                    store=True,
                    filename=path.name,
                    batch_id=batch_id,
                    progress=advance,
                )
                screening_service.set_batch_progress(
                    session, batch_id, done=len(screened), total=len(screened), status="done"
                )
        except DomainError as exc:
            with unit_of_work(factory) as session:
                screening_service.set_batch_progress(
                    session, batch_id, done=0, status="failed", error=exc.detail
                )
        except Exception:
            log.exception("screening batch %s failed", batch_id)
            with unit_of_work(factory) as session:
                screening_service.set_batch_progress(
                    session, batch_id, done=0, status="failed", error="internal error"
                )
    finally:
        with _lock:
            _progress.pop(batch_id, None)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the upload's own folder (views.upload_orders)


def start(
    factory: sessionmaker[Session], principal: Principal, batch_id: int, path: Path
) -> threading.Thread:
    """Run a batch in a thread of its own."""
    thread = threading.Thread(
        target=run_batch,
        args=(factory, principal, batch_id, path),
        daemon=True,
        name=f"screening-batch-{batch_id}",
    )
    thread.start()
    return thread
