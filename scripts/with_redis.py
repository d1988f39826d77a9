#!/usr/bin/env python3
"""Run a command with a throwaway Redis server.

    scripts/with_redis.py pytest -m "not browser"

Starts redis-server on a free loopback port with no persistence, exports
REDIS_URL for the command, and stops the server afterwards, whatever the
command's outcome. Never touches a Redis that is already running. Installs
Debian's redis-server first if it is missing and we are root; fails loudly
when it cannot.

The tests start their own server the same way (`ThrowawayRedis`).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def ensure_server_installed() -> str:
    server = shutil.which("redis-server")
    if server is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's redis-server for the cache tests...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True, env=env)
        server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError(
            "redis-server was not found and cannot be installed here (needs root and apt)."
        )
    return server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A redis-server on a free loopback port, for as long as the `with` lasts."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "ThrowawayRedis":
        self.directory = tempfile.mkdtemp(prefix="ceasefire-redis-")
        self.process = subprocess.Popen(
            [ensure_server_installed(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within 10 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(getattr(self, "directory", ""), ignore_errors=True)

    def __enter__(self) -> "ThrowawayRedis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    try:
        redis = ThrowawayRedis().start()
    except RuntimeError as error:
        sys.exit(f"No throwaway Redis: {error}")
    try:
        print(f"Throwaway Redis on 127.0.0.1:{redis.port}", flush=True)
        return subprocess.run(argv, env={**os.environ, "REDIS_URL": redis.url}).returncode
    finally:
        redis.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
