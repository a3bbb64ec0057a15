"""A proxy in front of the live server that a test can cut: the connection really goes, every
request fails as with no wifi (refused, reset), not only the browser's offline flag; and the
service worker's own requests fail with the page's."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading


class CutProxy:
    """Forwards 127.0.0.1:port to the live server until ``cut()``; ``restore()`` reconnects."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = False
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def cut(self) -> None:
        with self.lock:
            self.is_cut = True
            for conn in list(self.open):
                self._reset(conn)
            self.open.clear()

    def restore(self) -> None:
        self.is_cut = False

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.listener.close()

    @staticmethod
    def _reset(conn: socket.socket) -> None:
        # SO_LINGER 0: close with a reset, as a dropped connection looks to the browser; the
        # shutdown first, or a thread blocked reading it would keep it open.
        try:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:  # not between cut()'s look at the open connections and its end
                if self.is_cut:
                    self._reset(client)
                    continue
                try:
                    upstream = socket.create_connection(self.target)
                except OSError:
                    self._reset(client)
                    continue
                self.open.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                if self.is_cut:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for conn in (src, dst):
            with self.lock:
                self.open.discard(conn)
            self._reset(conn) if self.is_cut else _close(conn)


def _close(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()
