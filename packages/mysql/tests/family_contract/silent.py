"""A TCP server that accepts connections and never says a word: a MySQL/MariaDB server stuck
before its greeting, for connect-timeout tests. It runs on its own thread, so sync and async
tests share it, and tells whether the client closed the socket it had opened. Also: running a
connect (sync or async) that may hang without the test hanging."""

from __future__ import annotations

import asyncio
import inspect
import socket
import threading
import time
from collections.abc import Callable


class SilentServer:
    """``with SilentServer() as server:`` listens on 127.0.0.1:``server.port`` until the block
    ends, then closes every accepted socket (which also frees a client still waiting)."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="silent-server", daemon=True)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)

    def clients_closed(self, timeout: float = 3.0) -> bool:
        """True when at least one client connected and every client has closed its socket
        (reads EOF or a reset) within ``timeout``; a client never sends before the greeting."""
        if not self.accepted:
            return False
        deadline = time.monotonic() + timeout
        for conn in self.accepted:
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                if conn.recv(1) != b"":
                    return False
            except TimeoutError:
                return False
            except ConnectionResetError:
                pass
        return True

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()
        for conn in self.accepted:
            conn.close()


def call_with_limit(
    call: Callable[[], object], limit: float
) -> tuple[BaseException | None, float] | None:
    """Run the blocking ``call()`` on a thread: ``(what it raised or None, seconds taken)``, or
    None when it was still running after ``limit`` seconds (a hang; closing the
    ``SilentServer`` afterwards lets it end)."""
    outcome: list = []

    def run() -> None:
        started = time.monotonic()
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append((exc, time.monotonic() - started))
        else:
            outcome.append((None, time.monotonic() - started))

    worker = threading.Thread(target=run, name="bounded-call", daemon=True)
    worker.start()
    worker.join(limit)
    return outcome[0] if outcome else None


async def connect_outcome(backend, limit: float) -> tuple[BaseException | None, float] | None:
    """``backend.connect()`` (sync: on a thread; async: as a task) as ``(what it raised or
    None, seconds taken)``, or None when it was still connecting after ``limit`` seconds (the
    task is then cancelled; a sync connect ends once its ``SilentServer`` closes)."""
    if not inspect.iscoroutinefunction(backend.connect):
        return await asyncio.to_thread(call_with_limit, backend.connect, limit)
    started = time.monotonic()
    task = asyncio.ensure_future(backend.connect())
    done, _ = await asyncio.wait({task}, timeout=limit)
    if not done:
        task.cancel()
        await asyncio.wait({task})
        return None
    return task.exception(), time.monotonic() - started
