#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    scripts/with_postgres.py pytest -m "not browser"

Creates a cluster in a temporary directory on a free loopback port, exports
DATABASE_URL for the command, and removes the cluster afterwards, whatever
the command's outcome. Never touches a PostgreSQL that is already running.
Installs Debian's PostgreSQL server first if it is missing and we are root.
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


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    pg_bin = ensure_server_installed()
    data_dir = Path(tempfile.mkdtemp(prefix="ceasefire-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    port = free_port()
    pg_ctl = [str(pg_bin / "pg_ctl"), "-D", str(data_dir)]
    try:
        subprocess.run(
            as_cluster_owner(
                [str(pg_bin / "initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = (
            f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            as_cluster_owner(
                [*pg_ctl, "-o", options, "-l", str(data_dir / "server.log"), "-w", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres"}
        print(f"Throwaway PostgreSQL on 127.0.0.1:{port} ({data_dir})", flush=True)
        return subprocess.run(argv, env=env).returncode
    finally:
        subprocess.run(
            as_cluster_owner([*pg_ctl, "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
