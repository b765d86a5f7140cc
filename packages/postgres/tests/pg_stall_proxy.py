"""A loopback TCP proxy for the tests that can stop forwarding (a stalled peer).

``stall()`` keeps every socket open but forwards nothing more, in either direction, for the
connections it has and for new ones (which it still accepts): what a frozen host or a dead
middlebox looks like to a client. ``resume()`` forwards again; ``close()`` ends everything.
Every loop is bounded: each wait is at most ``TICK`` seconds and checks the stop flag.
"""

from __future__ import annotations

import select
import socket
import threading

TICK = 0.05


class StallProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(TICK)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._stalled = threading.Event()
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def stall(self) -> None:
        self._stalled.set()

    def resume(self) -> None:
        self._stalled.clear()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            self._sockets += [client, server]
            pump = threading.Thread(target=self._pump, args=(client, server), daemon=True)
            self._threads.append(pump)
            pump.start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peer = {a: b, b: a}
        while not self._stop.is_set():
            if self._stalled.is_set():
                self._stop.wait(TICK)
                continue
            try:
                ready, _, _ = select.select([a, b], [], [], TICK)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peer[sock].sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=2)
