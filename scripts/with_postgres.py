#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    scripts/with_postgres.py pytest -m "not browser"

Creates a cluster in a temporary directory on a free loopback port, exports
DATABASE_URL for the command, and removes the cluster afterwards, whatever
the command's outcome. Never touches a PostgreSQL that is already running.
Installs Debian's PostgreSQL server first if it is missing and we are root.

The tests start their own cluster the same way (`ThrowawayPostgres`).
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def find_pg_bin() -> Path | None:
    for candidate in [
        shutil.which("initdb"),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    ]:
        if candidate and Path(candidate).exists():
            return Path(candidate).resolve().parent
    return None


def ensure_server_installed() -> Path:
    pg_bin = find_pg_bin()
    if pg_bin is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's PostgreSQL server for the database tests...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)
        pg_bin = find_pg_bin()
    if pg_bin is None:
        sys.exit(
            "PostgreSQL's initdb was not found and cannot be installed here (needs root and apt)."
        )
    return pg_bin


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_cluster_owner(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; on CI we are root, so run it as 'postgres'.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory on a free loopback port,
    for as long as the `with` lasts. `stop()` and `start()` take the server
    down and bring it back on the same port with the same data, as a restart
    in production would (the tests of a database that goes away use them)."""

    def __init__(self):
        self.pg_bin = ensure_server_installed()
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.data_dir = None

    def __enter__(self) -> "ThrowawayPostgres":
        self.data_dir = Path(tempfile.mkdtemp(prefix="ceasefire-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres", "postgres")
        try:
            subprocess.run(
                as_cluster_owner(
                    [str(self.pg_bin / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
                     "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.data_dir / "server.log")
        subprocess.run(
            as_cluster_owner([*self._pg_ctl(), "-o", options, "-l", log, "-w", "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; "fast" ends every client's connection first."""
        subprocess.run(
            as_cluster_owner([*self._pg_ctl(), "-m", mode, "-w", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _pg_ctl(self) -> list[str]:
        return [str(self.pg_bin / "pg_ctl"), "-D", str(self.data_dir)]

    def __exit__(self, *exc) -> None:
        self.stop("immediate")
        shutil.rmtree(self.data_dir, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    with ThrowawayPostgres() as server:
        print(f"Throwaway PostgreSQL on 127.0.0.1:{server.port} ({server.data_dir})", flush=True)
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": server.url}).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
