"""A real PostgreSQL server where AWS has RDS: the local cloud's databases are databases.

The server (the distribution's PostgreSQL, `make install` installs it where it is missing) starts the
first time a PostgreSQL DB instance or cluster is created, on a free loopback port, with its data
directory under the local cloud's state directory, as the unprivileged `postgres` user when the local
cloud runs as root (PostgreSQL refuses root). Each DB instance or cluster is a database of its own,
owned by a role with the master user name and password it was created with, so a function connects
with exactly what it would use in AWS: the endpoint address and port the RDS API answers, the user,
the password and the database name. Stopping the local cloud stops the server.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from localcloud.core.loopback import free_port

ADMIN = "localcloud_admin"
START_TIMEOUT_S = 30


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def binaries() -> Path:
    """The folder of initdb and pg_ctl: PATH first, then the distribution's versioned folders."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL is not installed: `make install` installs Debian's postgresql "
            "package (the local cloud runs RDS databases on it)"
        )
    return Path(candidates[0]).parent


def _quoted_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quoted_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reachable_by_others(path: Path) -> bool:
    """Whether a user other than the owner may reach `path` (every folder above it lets others through)."""
    return all(parent.stat().st_mode & 0o001 for parent in [path, *path.parents] if parent.exists())


class PostgresServer:
    def __init__(self, state_dir: Path) -> None:
        root = state_dir / "postgres"
        self._private: Path | None = None
        if os.geteuid() == 0 and not _reachable_by_others(state_dir):
            # The postgres user could not reach a private folder (pytest's, for one): a folder of its own.
            import tempfile

            private = Path(tempfile.mkdtemp(prefix="localcloud-postgres-"))
            private.chmod(0o755)
            root = private / "postgres"
            self._private = private
        self.data_dir = root / "data"
        self.socket_dir = root / "run"
        self.port: int | None = None
        self._password = secrets.token_urlsafe(24)
        self._lock = threading.Lock()
        self._roles = threading.Lock()  # two instances created at once must not both create a role

    # -- the server -----------------------------------------------------------------------------------
    def _as_owner(self) -> dict[str, Any]:
        """Run PostgreSQL's commands as `postgres` when we are root (it refuses to run as root)."""
        if os.geteuid() != 0:
            return {}
        owner = pwd.getpwnam("postgres")
        return {"user": owner.pw_uid, "group": owner.pw_gid}

    def _run(self, *command: str) -> None:
        done = subprocess.run(command, capture_output=True, text=True, check=False, **self._as_owner())
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{Path(command[0]).name} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}"
            )

    def start(self) -> int:
        """Start the server once; its port."""
        with self._lock:
            if self.port is not None:
                return self.port
            bindir = binaries()
            root = self.data_dir.parent
            if root.exists():
                shutil.rmtree(root)  # a previous run's data: each local cloud starts empty, as moto does
            self.socket_dir.mkdir(parents=True)
            password_file = root / "admin-password"
            password_file.write_text(self._password)
            owner = self._as_owner()
            if owner:
                for path in (root, self.socket_dir, password_file):
                    os.chown(path, owner["user"], owner["group"])
            self._run(
                str(bindir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                ADMIN,
                "--auth=scram-sha-256",
                f"--pwfile={password_file}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
            password_file.unlink()
            self._certificate(root, owner)
            port = free_port()
            # TLS on, as RDS forces it (rds.force_ssl): clients connect the same way here and in AWS.
            options = (
                f"-p {port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on "
                f"-c ssl_cert_file={root / 'server.crt'} -c ssl_key_file={root / 'server.key'}"
            )
            self._run(
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-l",
                str(root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "start",
            )
            self.port = port
            return port

    @staticmethod
    def _certificate(root: Path, owner: dict[str, Any]) -> None:
        """A self-signed certificate for the server (clients that verify use their own trust, as with RDS's CA)."""
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "30",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(root / "server.key"),
                "-out",
                str(root / "server.crt"),
            ],
            check=True,
            capture_output=True,
        )
        (root / "server.key").chmod(0o600)
        if owner:
            for name in ("server.key", "server.crt"):
                os.chown(root / name, owner["user"], owner["group"])

    def stop(self) -> None:
        with self._lock:
            if self.port is None:
                return
            try:
                self._run(str(binaries() / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "stop")
            except PostgresUnavailable as error:
                print(f"postgres: stop failed: {error}", flush=True)
            self.port = None
            if self._private is not None:
                shutil.rmtree(self._private, ignore_errors=True)

    # -- databases ------------------------------------------------------------------------------------
    def _admin(self, database: str = "postgres") -> Any:
        import pg8000.native

        return pg8000.native.Connection(
            ADMIN, host="127.0.0.1", port=self.start(), password=self._password, database=database
        )

    def usage(self) -> dict[str, tuple[int, int]]:
        """Per database: its sessions now and its size in bytes (nothing while the server is not running)."""
        if self.port is None:
            return {}
        admin = self._admin()
        try:
            rows = admin.run(
                "SELECT d.datname, (SELECT count(*) FROM pg_stat_activity a WHERE a.datid = d.oid), "
                "pg_database_size(d.oid) FROM pg_database d WHERE NOT d.datistemplate"
            )
        finally:
            admin.close()
        return {str(name): (int(sessions), int(size)) for name, sessions, size in rows}

    def create_database(self, name: str, owner: str, password: str) -> int:
        """A database owned by a master user (created, or its password set): a login role that may create
        roles and databases and is a member of rds_superuser, as RDS makes its master user; the server's port."""
        port = self.start()
        with self._roles:
            self._create_database(name, owner, password)
        return port

    def _create_database(self, name: str, owner: str, password: str) -> None:
        admin = self._admin()
        try:
            if not admin.run("SELECT 1 FROM pg_roles WHERE rolname = 'rds_superuser'"):
                admin.run("CREATE ROLE rds_superuser NOLOGIN")
            exists = admin.run("SELECT 1 FROM pg_roles WHERE rolname = :name", name=owner)
            verb = "ALTER" if exists else "CREATE"
            admin.run(
                f"{verb} ROLE {_quoted_identifier(owner)} LOGIN CREATEROLE CREATEDB "
                f"PASSWORD {_quoted_literal(password)}"
            )
            admin.run(f"GRANT rds_superuser TO {_quoted_identifier(owner)}")
            if not admin.run("SELECT 1 FROM pg_database WHERE datname = :name", name=name):
                admin.run(f"CREATE DATABASE {_quoted_identifier(name)} OWNER {_quoted_identifier(owner)}")
        finally:
            admin.close()

    def drop_database(self, name: str) -> None:
        if self.port is None:
            return
        admin = self._admin()
        try:
            admin.run(f"DROP DATABASE IF EXISTS {_quoted_identifier(name)} WITH (FORCE)")
        finally:
            admin.close()
