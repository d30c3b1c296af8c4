"""CRM and helpdesk records: contacts, leads, users, call journal, tickets, comments.

Every method returns JSON-ready dictionaries; the API layer wraps them in envelopes.
Field values have been validated by :mod:`crmtpl.sandbox.validation` before they get here.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Literal

from crmtpl.sandbox import seed
from crmtpl.sandbox.database import Database
from crmtpl.sandbox.phone import parse_phone, phone_matches

PersonKind = Literal["contacts", "leads"]
PERSON_KINDS: tuple[PersonKind, ...] = ("contacts", "leads")
JsonObject = dict[str, Any]

_SINGULAR = {"contacts": "contact", "leads": "lead"}


class SandboxStore:
    """The records behind the API, read and written in short transactions."""

    def __init__(self, database: Database) -> None:
        self._db = database

    # -- people -------------------------------------------------------------------------

    def search_people(self, kind: PersonKind, phone: str) -> list[JsonObject]:
        """People of ``kind`` with a number that matches ``phone`` (see ``phone.py``)."""
        query = parse_phone(phone)
        with self._db.transaction() as db:
            rows = db.execute(
                "SELECT person_id, number FROM phones WHERE person_kind = ?"
                " ORDER BY person_id, position",
                (kind,),
            ).fetchall()
            found: list[int] = []
            for row in rows:
                pid = int(row["person_id"])
                if pid not in found and phone_matches(query, parse_phone(row["number"])):
                    found.append(pid)
            return [self._person(db, kind, pid, detail=False) for pid in found]

    def list_people(self, kind: PersonKind, *, detail: bool = False) -> list[JsonObject]:
        """Every person of ``kind``, oldest first (``detail``: with numbers and address)."""
        with self._db.transaction() as db:
            ids = [
                int(row[0])
                for row in db.execute(f"SELECT id FROM {kind} ORDER BY id")  # noqa: S608 - fixed names
            ]
            return [self._person(db, kind, pid, detail=detail) for pid in ids]

    def get_person(self, kind: PersonKind, person_id: int) -> JsonObject | None:
        """One person with every field and number, or None."""
        with self._db.transaction() as db:
            if not self._exists(db, kind, person_id):
                return None
            return self._person(db, kind, person_id, detail=True)

    def person_exists(self, kind: PersonKind, person_id: int) -> bool:
        """Whether a contact or lead with that id exists."""
        with self._db.transaction() as db:
            return self._exists(db, kind, person_id)

    def create_person(self, kind: PersonKind, fields: JsonObject, created_via: str) -> JsonObject:
        """Store a new contact or lead and return it in full."""
        phones = [
            (kind_of_number, fields[name])
            for name, kind_of_number in (("phone", "work"), ("mobile", "mobile"))
            if fields.get(name)
        ]
        columns = ("first_name", "last_name", "company", "email", "title", "notes", "source")
        values = [fields.get(name) or "" for name in columns]
        owner = fields.get("owner_id") or seed.DEFAULT_OWNER_ID
        status = "new" if kind == "leads" else ""
        with self._db.transaction() as db:
            cursor = db.execute(
                f"INSERT INTO {kind} ({', '.join(columns)}, status, owner_id, created_at,"  # noqa: S608 - fixed names
                f" created_via) VALUES ({', '.join('?' for _ in columns)}, ?, ?, ?, ?)",
                (*values, status, owner, self._db.timestamp(), created_via),
            )
            new_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO phones (person_kind, person_id, position, type, number)"
                " VALUES (?, ?, ?, ?, ?)",
                [(kind, new_id, pos, type_, number) for pos, (type_, number) in enumerate(phones)],
            )
            return self._person(db, kind, new_id, detail=True)

    def _exists(self, db: sqlite3.Connection, kind: PersonKind, person_id: int) -> bool:
        row = db.execute(f"SELECT 1 FROM {kind} WHERE id = ?", (person_id,)).fetchone()  # noqa: S608
        return row is not None

    def _person(
        self, db: sqlite3.Connection, kind: PersonKind, person_id: int, *, detail: bool
    ) -> JsonObject:
        row = db.execute(f"SELECT * FROM {kind} WHERE id = ?", (person_id,)).fetchone()  # noqa: S608
        phones = [
            {"type": phone["type"], "number": phone["number"]}
            for phone in db.execute(
                "SELECT type, number FROM phones WHERE person_kind = ? AND person_id = ?"
                " ORDER BY position",
                (kind, person_id),
            )
        ]
        first_work = next((p["number"] for p in phones if p["type"] == "work"), "")
        first_mobile = next((p["number"] for p in phones if p["type"] == "mobile"), "")
        name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
        person: JsonObject = {
            "id": row["id"],
            "type": _SINGULAR[kind],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "name": name,
            "company": row["company"],
            "email": row["email"],
            "phone": first_work,
        }
        if kind == "leads":
            person |= {"mobile": first_mobile, "status": row["status"], "source": row["source"]}
        person["owner"] = self._owner(db, row["owner_id"])
        person["created_at"] = row["created_at"]
        person["created_via"] = row["created_via"]
        if detail:
            person |= {
                "title": row["title"],
                "address": {
                    "street": row["street"],
                    "city": row["city"],
                    "state": row["state"],
                    "zip": row["zip"],
                    "country": row["country"],
                },
                "notes": row["notes"],
                "phones": phones,
            }
        return person

    def _owner(self, db: sqlite3.Connection, user_id: int | None) -> JsonObject | None:
        if user_id is None:
            return None
        row = db.execute(
            "SELECT id, first_name, last_name, email FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is None:
            return None
        return {"id": row["id"], "name": f"{row['first_name']} {row['last_name']}"}

    # -- users and account --------------------------------------------------------------

    def list_users(self) -> list[JsonObject]:
        """Every CRM user (agent)."""
        with self._db.transaction() as db:
            return [
                {
                    "id": row["id"],
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "email": row["email"],
                    "extension": row["extension"],
                    "role": row["role"],
                    "active": True,
                }
                for row in db.execute("SELECT * FROM users ORDER BY id")
            ]

    def user_exists(self, user_id: int) -> bool:
        """Whether a user with that id exists."""
        with self._db.transaction() as db:
            return db.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is not None

    def department_exists(self, department_id: int) -> bool:
        """Whether a department with that id exists."""
        with self._db.transaction() as db:
            found = db.execute("SELECT 1 FROM departments WHERE id = ?", (department_id,))
            return found.fetchone() is not None

    def account(self) -> JsonObject:
        """The account: name, slug, default department and owner, every department."""
        with self._db.transaction() as db:
            departments = [
                {"id": row["id"], "name": row["name"], "is_default": bool(row["is_default"])}
                for row in db.execute("SELECT * FROM departments ORDER BY id")
            ]
        default = next(d["id"] for d in departments if d["is_default"])
        return {
            "name": seed.ACCOUNT_NAME,
            "slug": seed.ACCOUNT_SLUG,
            "timezone": seed.ACCOUNT_TIMEZONE,
            "default_department_id": default,
            "default_owner_id": seed.DEFAULT_OWNER_ID,
            "departments": departments,
        }

    # -- call journal -------------------------------------------------------------------

    def create_call(self, fields: JsonObject, created_via: str) -> JsonObject:
        """Store a call journal entry (the validated body as sent) and return it."""
        with self._db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO calls (contact_type, contact_id, ticket_id, payload, created_at,"
                " created_via) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    fields.get("contact_type"),
                    fields.get("contact_id"),
                    fields.get("ticket_id"),
                    json.dumps(fields, ensure_ascii=False),
                    self._db.timestamp(),
                    created_via,
                ),
            )
            row = db.execute("SELECT * FROM calls WHERE id = ?", (cursor.lastrowid,)).fetchone()
            return self._call(db, row)

    def list_calls(
        self, contact_type: PersonKind | None = None, contact_id: int | None = None
    ) -> list[JsonObject]:
        """Journal entries, newest first, optionally of one contact."""
        sql = "SELECT * FROM calls"
        args: tuple[object, ...] = ()
        if contact_id is not None:
            sql += " WHERE contact_type = ? AND contact_id = ?"
            args = (contact_type or "contacts", contact_id)
        with self._db.transaction() as db:
            rows = db.execute(sql + " ORDER BY id DESC", args).fetchall()
            return [self._call(db, row) for row in rows]

    # -- tickets ------------------------------------------------------------------------

    def create_ticket(self, fields: JsonObject, created_via: str) -> JsonObject:
        """Store a new ticket and return it."""
        with self._db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO tickets (subject, description, status, priority, channel,"
                " department_id, requester_type, requester_id, assignee_id, phone, created_at,"
                " created_via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    fields["subject"],
                    fields.get("description") or "",
                    fields.get("status") or "open",
                    fields.get("priority") or "normal",
                    fields.get("channel") or "phone",
                    fields.get("department_id"),
                    fields.get("requester_type") or "contacts",
                    fields.get("requester_id"),
                    fields.get("assignee_id"),
                    fields.get("phone") or "",
                    self._db.timestamp(),
                    created_via,
                ),
            )
            return self._ticket(db, int(cursor.lastrowid or 0))

    def get_ticket(self, ticket_id: int) -> JsonObject | None:
        """One ticket with its comments, or None."""
        with self._db.transaction() as db:
            if db.execute("SELECT 1 FROM tickets WHERE id = ?", (ticket_id,)).fetchone() is None:
                return None
            return self._ticket(db, ticket_id)

    def list_tickets(self) -> list[JsonObject]:
        """Every ticket, newest first, with its comments."""
        with self._db.transaction() as db:
            ids = [int(row[0]) for row in db.execute("SELECT id FROM tickets ORDER BY id DESC")]
            return [self._ticket(db, ticket_id) for ticket_id in ids]

    def add_comment(self, ticket_id: int, fields: JsonObject, created_via: str) -> JsonObject:
        """Add a comment to an existing ticket and return the comment."""
        with self._db.transaction() as db:
            cursor = db.execute(
                "INSERT INTO comments (ticket_id, body, public, author_id, created_at,"
                " created_via) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    ticket_id,
                    fields["body"],
                    int(bool(fields.get("public"))),
                    fields.get("author_id"),
                    self._db.timestamp(),
                    created_via,
                ),
            )
            row = db.execute("SELECT * FROM comments WHERE id = ?", (cursor.lastrowid,)).fetchone()
            return _comment(row)

    def _call(self, db: sqlite3.Connection, row: sqlite3.Row) -> JsonObject:
        entry: JsonObject = {"id": row["id"]}
        entry |= json.loads(row["payload"])
        entry["contact"] = self._link(db, row["contact_type"], row["contact_id"])
        entry |= {"created_at": row["created_at"], "created_via": row["created_via"]}
        return entry

    def _link(
        self, db: sqlite3.Connection, kind: str | None, person_id: object
    ) -> JsonObject | None:
        """``{"type", "id", "name"}`` of the contact or lead an id names, or None."""
        if kind not in PERSON_KINDS or not isinstance(person_id, int):
            return None
        row = db.execute(
            f"SELECT id, first_name, last_name FROM {kind} WHERE id = ?",  # noqa: S608 - fixed names
            (person_id,),
        ).fetchone()
        if row is None:
            return None
        name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
        return {"type": kind, "id": row["id"], "name": name}

    def _ticket(self, db: sqlite3.Connection, ticket_id: int) -> JsonObject:
        row = db.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        comments = [
            _comment(c)
            for c in db.execute(
                "SELECT * FROM comments WHERE ticket_id = ? ORDER BY id", (ticket_id,)
            )
        ]
        return {
            "id": row["id"],
            "subject": row["subject"],
            "description": row["description"],
            "status": row["status"],
            "priority": row["priority"],
            "channel": row["channel"],
            "department_id": row["department_id"],
            "requester": {
                "type": row["requester_type"],
                "id": row["requester_id"],
                "name": (self._link(db, row["requester_type"], row["requester_id"]) or {}).get(
                    "name"
                ),
            },
            "assignee_id": row["assignee_id"],
            "phone": row["phone"],
            "created_at": row["created_at"],
            "created_via": row["created_via"],
            "comments": comments,
        }


def _comment(row: sqlite3.Row) -> JsonObject:
    return {
        "id": row["id"],
        "ticket_id": row["ticket_id"],
        "body": row["body"],
        "public": bool(row["public"]),
        "author_id": row["author_id"],
        "created_at": row["created_at"],
        "created_via": row["created_via"],
    }
