"""The deadline sweeper: an async task of the app that runs `sweep_deadlines` now and then."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import anyio
from sqlalchemy.orm import Session, sessionmaker

from precx.db import unit_of_work
from precx.notifications import service as notifications_service

log = logging.getLogger(__name__)


class DeadlineSweeper:
    """Reminds importing authorities and marks `no_response` on the wall clock, every interval."""

    def __init__(self, factory: sessionmaker[Session], interval_seconds: float) -> None:
        self.factory = factory
        self.interval_seconds = interval_seconds
        self._task: asyncio.Task[None] | None = None

    def sweep_once(self) -> notifications_service.SweepResult:
        """One sweep in one transaction, with the current time."""
        with unit_of_work(self.factory) as session:
            return notifications_service.sweep_deadlines(session, now=notifications_service.now())

    async def run(self) -> None:
        """Sleep for the interval, then sweep; forever. Deadlines run in days, so the first
        sweep can wait and leave the start of the process to the requests."""
        while True:
            await asyncio.sleep(self.interval_seconds)
            try:
                await anyio.to_thread.run_sync(self.sweep_once)
            except Exception:
                log.exception("notification deadline sweep failed")

    def start(self) -> None:
        """Start the task on the running loop."""
        self._task = asyncio.create_task(self.run(), name="precx-pen-deadlines")

    async def stop(self) -> None:
        """Cancel the task and wait for it to end."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
