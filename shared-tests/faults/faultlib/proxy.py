"""A loopback TCP proxy that forwards, resets or stalls, for putting faults between a backend
and its server.

One thread runs a ``selectors`` loop over the listening socket and every (client, upstream)
pair, so the proxy never blocks on anything but ``select`` with a short timeout; the stop
event ends it within that timeout. Modes:

- ``forward``: bytes go both ways;
- ``stall``: every socket stays open and nothing is read or forwarded (a peer that stopped
  answering: a dead host, a full queue, a partition that drops packets); new clients are
  accepted and never get a byte;
- ``reset``: every open pair is closed abruptly (SO_LINGER 0: an RST to both sides) and new
  clients are reset on accept.
"""

from __future__ import annotations

import selectors
import socket
import struct
import threading
import time

HOST = "127.0.0.1"
_TICK = 0.05  # the longest the loop sleeps before it sees a mode change or the stop event
_CHUNK = 65536


def _abort(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class Proxy:
    def __init__(self, upstream_port: int, upstream_host: str = HOST) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "forward"
        self.accepted = 0
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(64)
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._pairs: dict[socket.socket, socket.socket] = {}  # each side -> the other
        self._held: list[socket.socket] = []  # accepted in stall mode, never connected on
        self._sel = selectors.DefaultSelector()
        self._sel.register(self._listener, selectors.EVENT_READ)
        self._lock = threading.Lock()
        self._wanted = self._applied = 0  # mode changes asked for / carried out by the loop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"proxy:{self.port}", daemon=True)
        self._thread.start()

    # -- control (any thread) ------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """Switch modes; returns once the loop has applied the mode (after ``reset()`` every
        old connection is gone), so a test's next step always meets the new mode."""
        if mode not in ("forward", "stall", "reset"):
            raise ValueError(mode)
        with self._lock:
            self.mode = mode
            self._wanted += 1
            wanted = self._wanted
        deadline = time.monotonic() + 5
        while self._applied < wanted:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"proxy loop did not apply {mode!r} within 5 s")
            time.sleep(0.005)

    def forward(self) -> None:
        self.set_mode("forward")

    def stall(self) -> None:
        self.set_mode("stall")

    def reset(self) -> None:
        self.set_mode("reset")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for sock in list(self._pairs) + self._held:
            _abort(sock)
        self._pairs.clear()
        self._held.clear()
        self._listener.close()
        self._sel.close()

    def __enter__(self) -> Proxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the loop (its own thread) -------------------------------------------------------

    def _run(self) -> None:
        mode = "forward"
        while not self._stop.is_set():
            with self._lock:
                wanted, new_mode = self._wanted, self.mode
            if wanted != self._applied:
                # Only this thread touches sockets, and it applies a change before it looks
                # at any event, so no event is handled under a mode that was already left.
                if new_mode != mode:
                    self._apply(new_mode)
                    mode = new_mode
                self._applied = wanted
                continue
            for key, _ in self._sel.select(_TICK):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self._listener:
                    self._accept(mode)
                elif mode == "forward":
                    self._pump(sock)
                if self._wanted != self._applied:
                    break  # apply the change before the next event

    def _apply(self, mode: str) -> None:
        """Enter a mode: reset drops every pair; stall stops reading; forward reads again."""
        if mode == "reset":
            for sock in list(self._pairs):
                self._drop(sock, abort=True)
            for sock in self._held:
                _abort(sock)
            self._held.clear()
            return
        for sock in self._pairs:
            try:
                if mode == "stall":
                    self._sel.unregister(sock)
                else:
                    self._sel.register(sock, selectors.EVENT_READ)
            except (KeyError, ValueError):
                pass

    def _accept(self, mode: str) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        self.accepted += 1
        if mode == "reset":
            _abort(client)
            return
        if mode == "stall":
            self._held.append(client)
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _abort(client)
            return
        for sock in (client, upstream):
            sock.setblocking(True)
            sock.settimeout(5)  # a sendall to a peer that stopped reading ends, too
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._pairs[client], self._pairs[upstream] = upstream, client
        self._sel.register(client, selectors.EVENT_READ)
        self._sel.register(upstream, selectors.EVENT_READ)

    def _pump(self, sock: socket.socket) -> None:
        other = self._pairs.get(sock)
        if other is None:
            return
        try:
            data = sock.recv(_CHUNK)
            if data:
                other.sendall(data)
                return
        except OSError:
            pass
        self._drop(sock, abort=False)

    def _drop(self, sock: socket.socket, *, abort: bool) -> None:
        other = self._pairs.pop(sock, None)
        for s in (sock, other):
            if s is None:
                continue
            self._pairs.pop(s, None)
            try:
                self._sel.unregister(s)
            except (KeyError, ValueError):
                pass
            if abort:
                _abort(s)
            else:
                s.close()
