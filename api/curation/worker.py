"""The worker: takes intake jobs in order and runs each in a process of its own.

The worker loads the NLP model once (before its first extraction), and forks
one child per job, so the child starts with the model in memory and whatever the job allocates goes
when it ends: the worker itself does not grow (and should it pass the ceiling, it stops
between jobs, for its supervisor to start it afresh). A child that runs past its
kind's time limit, or grows past the memory ceiling, is killed; a job
killed that way (or by anything else: the OOM killer, the worker's own
death) is tried once more, then fails with a problem naming why. Between
jobs (every second at most) the worker queues a poll of each feed that is due
(``api.curation.feeds``).

The child dies with the worker (``PR_SET_PDEATHSIG``): a worker killed by
SIGKILL leaves no job running behind it; the next worker finds the job
marked running by a process that is gone and puts it back in line.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import time
from pathlib import Path

import psutil

from api import config
from api.curation import jobs
from api.curation.tasks import Task, Tasks
from api.domain.problem import problem
from api.processes import pid_alive
from api.store.writer import Writer

log = logging.getLogger("briefs")
ATTEMPTS = 2  # a killed job is tried once more
POLL_S = 0.05  # how often a running child is watched
IDLE_S = 0.25  # how long an empty queue is left before it is asked again
BEAT_S = 1.0
SCHEDULE_S = 1.0  # how often the feeds due, and jobs left by a dead process, are looked for
PR_SET_PDEATHSIG = 1


class Limits:
    """Time limits by kind of job, and the memory ceiling of each job's process."""

    def __init__(self, settings: dict | None = None) -> None:
        settings = settings or config.from_environment()
        self.seconds = {
            "page": float(settings["PAGE_SECONDS"]),
            "extract": float(settings["JOB_SECONDS"]),
            "feed": float(settings["FEED_SECONDS"]),
            "entry": float(settings["PAGE_SECONDS"]) + float(settings["FETCH_SECONDS"]),
        }
        self.memory = int(settings["JOB_MEMORY_MB"]) * 1024 * 1024


class Worker:
    """The worker of the database at ``db``."""

    def __init__(self, db: Path, limits: Limits | None = None, load_model: bool = True) -> None:
        self.db = Path(db)
        self.tasks = Tasks(self.db)
        self.limits = limits or Limits()
        self.load_model = load_model
        self.stopping = False
        self.started = time.time()
        self.last_beat = 0.0
        self.last_schedule = 0.0
        self.counts = {"done": 0, "failed": 0, "killed": 0}
        self.problem: str | None = None

    def run(self) -> None:
        """Take jobs until SIGTERM or SIGINT."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        import datasketch  # noqa: F401  (feeds: loaded once, inherited by each job)
        import feedparser  # noqa: F401

        from api.ingest.html import import_problem

        self.problem = import_problem()
        if self.problem:
            log.error("%s", self.problem)
        self.tasks.create()
        self.recover()
        log.info("worker on %s (pid %s)", self.tasks.path, os.getpid())
        while not self.stopping:
            self.beat()
            self._between_jobs()
            if not self.step():
                time.sleep(IDLE_S)
            elif _rss(os.getpid()) > self.limits.memory:  # recycled: its supervisor restarts it
                log.warning("the worker grew past %d MB; it stops to be restarted",
                            self.limits.memory // 2**20)  # fmt: skip
                break
        log.info("worker stopped")

    def _stop(self, _signum, _frame) -> None:
        self.stopping = True

    def beat(self, force: bool = False) -> None:
        if force or time.monotonic() - self.last_beat >= BEAT_S:
            counts, self.counts = self.counts, {"done": 0, "failed": 0, "killed": 0}
            self.tasks.beat(os.getpid(), self.started, self.problem, **counts)
            self.last_beat = time.monotonic()

    def recover(self) -> int:
        """Jobs left running by a process that is gone (or by this worker, which runs
        none between jobs): back in line, or failed."""
        found = 0
        for task, owner in self.tasks.running():
            if owner is not None and owner != os.getpid() and pid_alive(owner):
                continue
            found += 1
            self._killed(task, "the worker stopped while it ran this job")
        return found

    def step(self) -> bool:
        """Run the next job, if there is one."""
        task = self.tasks.claim(os.getpid())
        if task is None:
            return False
        self._run(task)
        return True

    def _run(self, task: Task) -> None:
        if task.kind == "extract" and self.load_model:
            from api.curation.queue import default_extractor

            default_extractor()  # once, before the first extraction: each child inherits it
        context = multiprocessing.get_context("fork")
        child = context.Process(target=_child, args=(str(self.db), task), daemon=True)
        child.start()
        with self.tasks.write() as conn:
            conn.execute("UPDATE tasks SET owner = ? WHERE job = ?", (child.pid, task.job))
        limit = self.limits.seconds.get(task.kind, self.limits.seconds["extract"])
        started = time.monotonic()
        why = None
        peak = 0
        while child.is_alive():
            child.join(POLL_S)
            self.beat()
            if not child.is_alive():
                break
            peak = max(peak, _rss(child.pid))
            if time.monotonic() - started > limit:
                why = f"it ran past its time limit of {limit:g} s"
            elif peak > self.limits.memory:
                why = (
                    f"its process grew past the memory ceiling of "
                    f"{self.limits.memory // (1024 * 1024)} MB"
                )
            elif self.stopping:
                why = "stopping"
            if why:
                child.kill()
                child.join()
        if why == "stopping":
            self.tasks.requeue(task.job, "the worker was stopped", count=False)
            jobs.update(Writer(self.db), task.job, state="queued", started=None)
            return
        if child.exitcode == 0 and why is None:
            self.tasks.finish(task.job)
            self.counts["done"] += 1
            return
        if why is None:
            why = f"its process ended with status {child.exitcode}" + (
                " (killed by a signal: out of memory?)" if child.exitcode < 0 else ""
            )
        self._killed(task, why)

    def _killed(self, task: Task, why: str) -> None:
        self.counts["killed"] += 1
        writer = Writer(self.db)
        if task.kind in ("feed", "entry"):
            self._feed_killed(task, why)
            return
        if task.attempts < ATTEMPTS:
            log.warning("job %s (%s) stopped: %s; it goes back in line", task.job, task.kind, why)
            self.tasks.requeue(task.job, why)
            jobs.update(writer, task.job, state="queued", started=None)
            return
        log.warning("job %s (%s) failed: %s, %d times", task.job, task.kind, why, ATTEMPTS)
        self.counts["failed"] += 1
        what = {"page": "The page could not be read", "feed": "The feed could not be read"}
        status = 422 if task.kind == "page" else 500
        stopped = what.get(task.kind, "The extraction was stopped")
        detail = f"{stopped}: {why} (tried {ATTEMPTS} times)."
        jobs.update(writer, task.job, state="failed", problem=problem(status, detail))
        self.tasks.finish(task.job)  # after its outcome is kept: a worker killed between
        # the two finds the task running and decides it again

    def _feed_killed(self, task: Task, why: str) -> None:
        """A feed's poll is not tried again at once: its back-off says when. An entry is."""
        from api.curation import feeds

        payload = task.payload or {}
        if task.kind == "entry" and task.attempts < ATTEMPTS:
            self.tasks.requeue(task.job, why)
            return
        self.counts["failed"] += 1
        if task.kind == "feed":
            feeds.Feeds(self.db).failed(payload.get("feed", ""), f"The poll was stopped: {why}.")
        else:
            feeds.entry_failed(self.db, payload, f"Stopped: {why} (tried {ATTEMPTS} times).")
        self.tasks.finish(task.job)

    def _between_jobs(self) -> None:
        """Once a second at most, busy or idle: jobs a dead process left running go back
        in line (between jobs no job of this worker runs), and the feeds due are polled."""
        from api.curation import feeds

        if time.monotonic() - self.last_schedule < SCHEDULE_S:
            return
        self.last_schedule = time.monotonic()
        try:
            self.recover()
        except Exception:  # the queue cannot be read now: the next moment tries again
            log.exception("jobs left by a dead process could not be looked for")
        try:
            feeds.schedule(self.db, self.tasks)
        except Exception:
            log.exception("the feeds could not be scheduled")


def _rss(pid: int) -> int:
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return 0


def _child(db: str, task: Task) -> None:
    """A job's process: dies with the worker, does the job, exits 0 (the job says how)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)
    if os.getppid() == 1:  # the worker died before the line above
        os._exit(1)
    from api.curation import queue

    if task.kind == "page":
        queue.read_page(Path(db), task.job, task.payload or {})
    elif task.kind == "extract":
        queue.run(Path(db), task.job)
    elif task.kind == "feed":
        from api.curation import feeds

        feeds.poll(Path(db), (task.payload or {})["feed"])
    elif task.kind == "entry":
        from api.curation import feeds

        feeds.read_entry(Path(db), task.payload or {})
