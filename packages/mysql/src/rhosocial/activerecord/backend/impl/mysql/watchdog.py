"""The connect timeout of the sync family backends as one deadline for the whole connect.

The drivers' own connect timeouts only cover part of a connect (PyMySQL's the TCP connect,
mysql-connector's each socket operation of the handshake) and nothing of the statements run
right after it, so a server that accepts and then never answers keeps a sync connect waiting
forever. ``SocketWatchdog`` holds the connect to its deadline whatever the driver is doing: once
the deadline has passed it shuts down the socket the connection reads from, and every blocking
call on it (connect, handshake, TLS, a statement) returns at once with an error the backend
turns into ``ConnectTimeout``. The async backends need none of this: ``asyncio.wait_for``
cancels the connect.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable


class SocketWatchdog:
    """``with SocketWatchdog(deadline, find):`` around a blocking connect; ``fired`` says
    afterwards whether the deadline (``time.monotonic()``) passed before the block ended.

    ``find()`` returns the socket the connection uses right now, or None (not open yet, or not
    reachable: mysql-connector's C extension keeps its socket inside libmysqlclient, whose own
    connect timeout applies there). It is asked again until the block ends, since TLS replaces
    the socket object and the socket may not exist yet when the deadline passes.

    The socket is shut down, not closed, from the watchdog's thread: a shutdown wakes a thread
    blocked on it (a close does not), and a socket object closed meanwhile by its owner refuses
    it instead of touching a descriptor number the system may have reused.
    """

    #: How often the watchdog looks again for a socket to shut down once the deadline passed.
    RETRY = 0.02

    def __init__(self, deadline: float, find: Callable[[], socket.socket | None]) -> None:
        self._deadline = deadline
        self._find = find
        self._lock = threading.Lock()
        self._ended = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="connect-timeout", daemon=True)
        self.fired = False

    def __enter__(self) -> SocketWatchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:  # after this the watchdog touches nothing
            self._ended.set()
        self._thread.join()

    def _watch(self) -> None:
        if self._ended.wait(max(self._deadline - time.monotonic(), 0.0)):
            return
        shut = None
        while True:
            with self._lock:
                if self._ended.is_set():
                    return
                self.fired = True
                sock = self._find()
                if isinstance(sock, socket.socket) and sock is not shut:
                    try:
                        # the plain socket's shutdown: an SSLSocket's would also drop its TLS
                        # state under the thread that is reading through it
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
                        shut = sock
                    except OSError:
                        pass  # not connected yet, or already closed: look again
            if self._ended.wait(self.RETRY):
                return
