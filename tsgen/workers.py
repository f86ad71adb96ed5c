"""Work that does not depend on what this process is doing, done meanwhile by a worker process
(the routes of the `.js` files, while this process parses the declarations). Jobs run in order and their results are taken in order, when needed; a
job that failed (or a machine where no process can be started) gives no result, and the caller
does that work itself, so the output and the errors are the same either way."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

R = TypeVar("R")


class Background(Generic[R]):
    def __init__(self, function: Callable[..., R], jobs: list[tuple[object, ...]]) -> None:
        self._futures: deque[Future[R]] = deque()
        if not jobs:
            return
        try:
            pool = ProcessPoolExecutor(max_workers=1)
            self._futures.extend(pool.submit(function, *job) for job in jobs)
            pool.shutdown(wait=False)  # the submitted jobs still run; the worker exits after them
        except (OSError, RuntimeError, ValueError):
            self._futures.clear()

    def results(self) -> Iterator[R]:
        """The results of the jobs not taken yet, in order, each waited for."""
        while self._futures:
            future = self._futures.popleft()
            try:
                yield future.result()
            except Exception:  # a job that failed, a worker that died: the caller does it
                continue
