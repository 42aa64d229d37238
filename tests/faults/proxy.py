"""A small TCP proxy between Motverka and PostgreSQL that a test can cut or hang."""

from __future__ import annotations

import socket
import threading


class TcpProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream``. ``cut_all()`` drops every connection;
    ``cut_on(marker)`` drops a connection the moment the client sends bytes containing
    ``marker`` (before they reach the database); ``hang = True`` accepts connections and
    never answers."""

    def __init__(self, port: int, upstream: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.port = port
        self.upstream = upstream
        self.hang = False
        self.marker: bytes | None = None
        self.cuts = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self._listener.settimeout(0.2)
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def cut_on(self, marker: bytes | None) -> None:
        self.marker = marker

    def cut_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            self._shut(sock)

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=2)
        self._listener.close()
        self.cut_all()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets.append(client)
            if self.hang:
                continue  # held open, never answered: a hung database
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                self._shut(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets.append(server)
            for source, target, watch in ((client, server, True), (server, client, False)):
                threading.Thread(
                    target=self._pump, args=(source, target, watch), daemon=True
                ).start()

    def _pump(self, source: socket.socket, target: socket.socket, watch: bool) -> None:
        try:
            while data := source.recv(65536):
                if watch and self.marker is not None and self.marker in data:
                    self.marker = None
                    self.cuts += 1
                    break
                target.sendall(data)
        except OSError:
            pass
        self._shut(source)
        self._shut(target)
