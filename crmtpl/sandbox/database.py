"""The sandbox's SQLite file: schema, first-start seeding, one shared connection.

References the PBX sends (contact, agent, ticket ids) are stored as given, without foreign
keys: the API checks what must exist and reports what a reference links to.

The HTTP server answers each request in its own thread; they share one connection behind a
lock, which is plenty for a single-user sandbox and keeps every write atomic.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from crmtpl.errors import UsageError
from crmtpl.sandbox import seed

DATABASE_FILE = "sandbox.db"
SCHEMA_VERSION = 1

_PERSON_COLUMNS = """
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    zip TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    owner_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    created_via TEXT NOT NULL DEFAULT 'seed'
"""

_SCHEMA = f"""
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    extension TEXT NOT NULL,
    role TEXT NOT NULL
);
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    is_default INTEGER NOT NULL
);
CREATE TABLE contacts ({_PERSON_COLUMNS});
CREATE TABLE leads ({_PERSON_COLUMNS});
CREATE TABLE phones (
    person_kind TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    number TEXT NOT NULL,
    PRIMARY KEY (person_kind, person_id, position)
);
CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_type TEXT,
    contact_id,
    ticket_id,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_via TEXT NOT NULL
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    channel TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    requester_type TEXT,
    requester_id,
    assignee_id,
    phone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_via TEXT NOT NULL
);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    body TEXT NOT NULL,
    public INTEGER NOT NULL,
    author_id,
    created_at TEXT NOT NULL,
    created_via TEXT NOT NULL
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    flow TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    family TEXT NOT NULL,
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    used_at REAL,
    revoked_at REAL
);
CREATE INDEX tokens_family ON tokens (family);
CREATE TABLE authorization_codes (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    redirect_uri_given INTEGER NOT NULL,
    scope TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    family TEXT NOT NULL,
    expires_at REAL NOT NULL,
    used_at REAL
);
"""

#: First ids of records created later, so that ids of different kinds look different.
_FIRST_IDS = {"tickets": 70001, "calls": 30001, "comments": 90001}


class StorageError(UsageError):
    """The database file cannot be read or written: corrupt, read-only, disk full.

    The message names the file and the hint says how to fix it; it is never a bug.
    """


def storage_error(path: Path, problem: BaseException) -> StorageError:
    """The :class:`StorageError` for an OS or SQLite failure on ``path``."""
    reason = str(problem.strerror if isinstance(problem, OSError) else problem) or "unknown"
    lowered = reason.lower()
    elsewhere = "or start the sandbox with another --data directory"
    if "full" in lowered or (isinstance(problem, OSError) and problem.errno == errno.ENOSPC):
        return StorageError(
            f"the disk holding the sandbox data {path} is full ({reason})",
            hint=f"free some space there, {elsewhere}",
        )
    if (
        "readonly" in lowered
        or "read-only" in lowered
        or "unable to open" in lowered
        or isinstance(problem, PermissionError)
        or (isinstance(problem, OSError) and problem.errno in (errno.EROFS, errno.EACCES))
    ):
        return StorageError(
            f"cannot write the sandbox data {path}: the file or its directory is read-only"
            f" ({reason})",
            hint=f"make {path.parent} writable for this user, {elsewhere}",
        )
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StorageError(
            f"{path} is not a usable sandbox database ({reason})",
            hint=f"move it away or delete it to start afresh with the seeded data, {elsewhere}",
        )
    return StorageError(
        f"the sandbox data {path} cannot be used ({reason})",
        hint=f"check the file and its directory, {elsewhere}",
    )


class Database:
    """One SQLite file shared by every request thread."""

    def __init__(self, data_dir: Path, clock: Callable[[], float]) -> None:
        self.path = data_dir / DATABASE_FILE
        self._clock = clock
        self._lock = threading.RLock()
        self._depth = 0
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, check_same_thread=False)
        except (OSError, sqlite3.Error) as problem:
            raise storage_error(self.path, problem) from None
        self._connection.row_factory = sqlite3.Row
        try:
            self._prepare()
        except sqlite3.DatabaseError as problem:  # e.g. "file is not a database"
            self._connection.close()
            raise storage_error(self.path, problem) from None
        except BaseException:
            self._connection.close()
            raise

    def now(self) -> float:
        """The current time in Unix seconds (the server's clock, replaceable in tests)."""
        return self._clock()

    def timestamp(self) -> str:
        """The current time as ISO 8601 UTC text, e.g. ``2024-05-01T09:30:00Z``."""
        moment = datetime.fromtimestamp(self._clock(), UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection, locked; the outermost block commits, or rolls back on error."""
        with self._lock:
            self._depth += 1
            try:
                if self._depth > 1:
                    yield self._connection
                else:
                    with self._connection:
                        yield self._connection
            except (sqlite3.OperationalError, OSError) as problem:
                raise storage_error(self.path, problem) from None
            except sqlite3.DatabaseError as problem:
                if type(problem) is not sqlite3.DatabaseError:  # integrity, programming: bugs
                    raise
                raise storage_error(self.path, problem) from None
            finally:
                self._depth -= 1

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._connection.close()

    def _prepare(self) -> None:
        version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version != 0:
            raise UsageError(
                f"the sandbox data in {self.path} has schema version {version};"
                f" this crmtpl understands version {SCHEMA_VERSION}",
                hint="start the sandbox with another --data directory",
            )
        with self.transaction() as db:
            db.executescript("BEGIN;" + _SCHEMA)
            for table, first in _FIRST_IDS.items():
                db.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, first - 1)
                )
            self._seed(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _seed(self, db: sqlite3.Connection) -> None:
        now = self.timestamp()
        db.executemany(
            "INSERT INTO users (id, first_name, last_name, email, extension, role)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(u.id, u.first_name, u.last_name, u.email, u.extension, u.role) for u in seed.USERS],
        )
        db.executemany(
            "INSERT INTO departments (id, name, is_default) VALUES (?, ?, ?)",
            [(id_, name, int(default)) for id_, name, default in seed.DEPARTMENTS],
        )
        for table, people in (("contacts", seed.CONTACTS), ("leads", seed.LEADS)):
            for person in people:
                db.execute(
                    f"INSERT INTO {table} (id, first_name, last_name, company, email, title,"  # noqa: S608 - fixed table names
                    " street, city, state, zip, country, notes, status, source, owner_id,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        person.id,
                        person.first_name,
                        person.last_name,
                        person.company,
                        person.email,
                        person.title,
                        person.street,
                        person.city,
                        person.state,
                        person.zip,
                        person.country,
                        person.notes,
                        person.status,
                        person.source,
                        person.owner_id,
                        now,
                    ),
                )
                db.executemany(
                    "INSERT INTO phones (person_kind, person_id, position, type, number)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        (table, person.id, position, kind, number)
                        for position, (kind, number) in enumerate(person.phones)
                    ],
                )
        ticket = db.execute(
            "INSERT INTO tickets (subject, description, status, priority, channel,"
            " department_id, requester_type, requester_id, assignee_id, phone, created_at,"
            " created_via) VALUES (?, ?, 'open', 'normal', 'phone', ?, 'contacts', 1001, 11,"
            " '5503302', ?, 'seed')",
            (
                "Delivery to San Francisco delayed",
                "William Smith called: pallet 7 has not arrived yet.",
                seed.DEPARTMENTS[0][0],
                now,
            ),
        )
        db.execute(
            "INSERT INTO comments (ticket_id, body, public, author_id, created_at, created_via)"
            " VALUES (?, ?, 0, 11, ?, 'seed')",
            (ticket.lastrowid, "Asked the carrier for a new delivery date.", now),
        )
