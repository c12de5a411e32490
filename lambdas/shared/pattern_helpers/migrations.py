"""A database's schema and its least-privilege users, brought up to date as the master user by a pattern's
migration function, which Terraform invokes at apply (modules/postgres-database `migration`). Functions
serving requests then log in as their own users, may do only what their grants say, and run no DDL.

- Migrations are numbered and applied in order, each in its own transaction, once: `schema_migrations`
  records them. An advisory lock keeps two runs from applying the same one.
- Each user's credentials live in a Secrets Manager secret of its own (created empty by Terraform). The
  first run puts a generated password there; every run sets the role's password from the secret (as its
  SCRAM verifier: the statement log never sees a password) and replaces its grants with the ones declared,
  so a grant removed from the code is revoked, and a user removed from the code can no longer log in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets as random_bytes
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pattern_helpers import postgres
from pattern_helpers.settings import Database, Misconfigured

ADVISORY_LOCK = 0x5_0A77_E2  # one migration run at a time per database
PASSWORD_LENGTH = 40
LOCK_TIMEOUT = "10s"  # a migration waiting longer for a table's lock fails, rather than queue every reader behind it
SCRAM_ITERATIONS = 4096  # PostgreSQL's scram_iterations default
ACCESS_ATTEMPTS = 4  # IAM applies a policy changed in the same apply within seconds: 2 + 4 + 8 s of patience


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class User:
    """A database user and what it may do: GRANT statements with `{user}` where its name goes."""

    name: str
    grants: tuple[str, ...]


def check(migrations: Sequence[Migration]) -> None:
    """Versions must be positive and strictly increasing: a renumbered or reordered list is a mistake."""
    versions = [m.version for m in migrations]
    if any(v < 1 for v in versions) or versions != sorted(set(versions)):
        raise ValueError(f"migration versions must be positive and strictly increasing, not {versions}")


@contextmanager
def _transaction(db: Any) -> Iterator[None]:
    """A transaction holding the migration lock; rolled back on any error."""
    db.run("START TRANSACTION")
    try:
        db.run("SELECT pg_advisory_xact_lock(:lock)", lock=ADVISORY_LOCK)
        yield
        db.run("COMMIT")
    except BaseException:
        db.run("ROLLBACK")
        raise


def apply(db: Any, migrations: Sequence[Migration]) -> list[int]:
    """Apply the migrations not yet recorded, in order; the versions applied now."""
    check(migrations)
    db.run(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())"
    )
    applied: list[int] = []
    for migration in migrations:
        with _transaction(db):
            if db.run("SELECT 1 FROM schema_migrations WHERE version = :v", v=migration.version):
                continue
            for statement in migration.statements:
                db.run(statement)
            db.run(
                "INSERT INTO schema_migrations (version, description) VALUES (:v, :d)",
                v=migration.version,
                d=migration.description,
            )
            applied.append(migration.version)
    return applied


def patiently(call: Any, *args: Any, **kwargs: Any) -> Any:
    """`call`, again after 2, 4 and 8 s while AWS answers AccessDenied: the migration runs right after the apply
    that changed its role's policy, and IAM takes a few seconds to apply it everywhere."""
    for attempt in range(ACCESS_ATTEMPTS):
        try:
            return call(*args, **kwargs)
        except Exception as error:
            code = (getattr(error, "response", None) or {}).get("Error", {}).get("Code")
            if code not in ("AccessDeniedException", "AccessDenied") or attempt == ACCESS_ATTEMPTS - 1:
                raise
            time.sleep(2.0 * 2**attempt)
    raise AssertionError("unreachable")


def password_of(secrets: Any, secret_arn: str, username: str) -> str:
    """The user's password from its secret; the first time, a generated one put there."""
    try:
        stored = json.loads(secrets.get_secret_value(SecretId=secret_arn)["SecretString"])
    except secrets.exceptions.ResourceNotFoundException:
        password = secrets.get_random_password(PasswordLength=PASSWORD_LENGTH, ExcludePunctuation=True)
        secrets.put_secret_value(
            SecretId=secret_arn, SecretString=json.dumps({"username": username, "password": password["RandomPassword"]})
        )
        return str(password["RandomPassword"])
    if stored.get("username") != username or not stored.get("password"):
        raise Misconfigured(f"secret {secret_arn} must hold the credentials of database user {username}")
    return str(stored["password"])


def scram_verifier(password: str, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL keeps for a password. Sent instead of the password, it keeps the
    password out of the server's statement log (log_statement = ddl logs CREATE and ALTER ROLE verbatim)."""
    salt = salt if salt is not None else random_bytes.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def ensure_users(db: Any, database: str, users: Sequence[User], passwords: Mapping[str, str]) -> list[str]:
    """Create or update each user (login, its password, nothing else) and replace its grants; users this
    database's migrations made before and no longer declare lose their login and grants. The names."""
    from pg8000.native import identifier, literal

    _same_users(users, passwords)
    marker = f"database user of {database}, managed by its migrations"
    for user in users:
        name = identifier(user.name)
        exists = db.run("SELECT 1 FROM pg_roles WHERE rolname = :name", name=user.name)
        verb = "ALTER" if exists else "CREATE"
        verifier = scram_verifier(passwords[user.name])
        statements = [
            # No SUPERUSER attribute either way: only a superuser may name it, and RDS's master user is not one.
            f"{verb} ROLE {name} WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD {literal(verifier)}",
            f"COMMENT ON ROLE {name} IS {literal(marker)}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {name}",
            f"REVOKE CREATE ON SCHEMA public FROM {name}",
            f"GRANT CONNECT ON DATABASE {identifier(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA public TO {name}",
            *(grant.format(user=name) for grant in user.grants),
        ]
        with _transaction(db):
            for statement in statements:
                db.run(statement)
    declared = [user.name for user in users]
    retired = db.run(
        "SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') = :marker AND rolcanlogin "
        "AND NOT rolname = ANY(CAST(:declared AS text[]))",
        marker=marker,
        declared=declared,
    )
    for (role,) in retired:
        with _transaction(db):
            db.run(f"ALTER ROLE {identifier(role)} WITH NOLOGIN")
            db.run(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {identifier(role)}")
    return declared


def _same_users(users: Sequence[User], secrets: Mapping[str, str]) -> None:
    declared = {user.name for user in users}
    if declared != set(secrets):
        raise Misconfigured(
            f"the database users the migration declares ({', '.join(sorted(declared)) or 'none'}) and the ones "
            f"given secrets (DB_USER_SECRETS: {', '.join(sorted(secrets)) or 'none'}) must be the same"
        )


def run(
    db: Any,
    database: str,
    migrations: Sequence[Migration],
    users: Sequence[User],
    secrets: Any,
    secret_arns: Mapping[str, str],
) -> dict[str, list[Any]]:
    """The whole step, as the master user on `db`: migrations, then users (their passwords from `secrets`)."""
    _same_users(users, secret_arns)
    applied = apply(db, migrations)
    passwords = {name: patiently(password_of, secrets, arn, name) for name, arn in secret_arns.items()}
    return {"applied": applied, "users": ensure_users(db, database, users, passwords)}


def migrate(
    where: Database, secrets: Any, migrations: Sequence[Migration], users: Sequence[User], user_secrets_json: str
) -> dict[str, list[Any]]:
    """Connect as the master user (`where.secret_arn`), run the step, disconnect."""
    arns = user_secrets(user_secrets_json)
    master = patiently(secrets.get_secret_value, SecretId=where.secret_arn)["SecretString"]
    db = postgres.connect_to(where, master)
    try:
        db.run(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        return run(db, where.name, migrations, users, secrets, arns)
    finally:
        db.close()


def user_secrets(raw: str) -> dict[str, str]:
    """DB_USER_SECRETS: a JSON object of database user name to its secret's ARN."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise Misconfigured("DB_USER_SECRETS must be a JSON object of database user name to secret ARN")
    return {str(k): str(v) for k, v in value.items()}
