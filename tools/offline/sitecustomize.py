"""Refuse every connection that leaves this machine (the offline proof of ``make test``).

The root ``conftest.py`` puts this folder first on ``PYTHONPATH`` when strict nbval runs, so
that every Python process the tests start (nbval's kernels, JupyterLab, the notebooks executed
on the grown table) imports it at start-up. Loopback addresses and Unix sockets stay open: the
kernels talk to pytest over 127.0.0.1.
"""

import socket

_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _check(address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if not str(host).startswith(_LOCAL):
        raise OSError(f"network access blocked by the offline test: {host}")


def connect(self, address):
    if self.family != socket.AF_UNIX:
        _check(address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family != socket.AF_UNIX:
        _check(address)
    return _connect_ex(self, address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
