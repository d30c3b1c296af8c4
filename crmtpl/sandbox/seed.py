"""The made-up people, agents and departments a new sandbox starts with.

Numbers come from ranges reserved for fiction where a country has one (US 555-01xx,
UK 020 7946 0xxx, Australian 02 5550 xxxx); the rest are invented. William Smith,
5503302, is the caller in Yeastar's own documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

PHONE_TYPES = ("work", "mobile", "home", "fax", "other")


@dataclass(frozen=True)
class SeedUser:
    """A CRM user (agent); the PBX binds users to extensions by equal e-mail."""

    id: int
    first_name: str
    last_name: str
    email: str
    extension: str
    role: str = "agent"


@dataclass(frozen=True)
class SeedPerson:
    """A contact or a lead, with its phone numbers as ``(type, number)`` in order."""

    id: int
    first_name: str
    last_name: str
    company: str
    email: str
    phones: tuple[tuple[str, str], ...]
    owner_id: int
    title: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = ""
    notes: str = ""
    status: str = ""
    source: str = ""


USERS: tuple[SeedUser, ...] = (
    SeedUser(11, "Alice", "Lee", "alice@example.com", "1001", "admin"),
    SeedUser(12, "Bob", "Martin", "bob.martin@example.com", "1002"),
    SeedUser(13, "Chen", "Wei", "chen.wei@example.com", "1003"),
    SeedUser(14, "Priya", "Natarajan", "priya.natarajan@example.com", "1004"),
    SeedUser(15, "Lukas", "Becker", "lukas.becker@example.com", "1005"),
)

DEPARTMENTS: tuple[tuple[int, str, bool], ...] = (
    (2200000001, "Support", True),
    (2200000002, "Sales", False),
    (2200000003, "Billing", False),
)

ACCOUNT_NAME = "Sandbox Trading Ltd"
ACCOUNT_SLUG = "sandbox-trading"
ACCOUNT_TIMEZONE = "Europe/London"
DEFAULT_OWNER_ID = 11

CONTACTS: tuple[SeedPerson, ...] = (
    SeedPerson(
        1001,
        "William",
        "Smith",
        "Acme Logistics",
        "william.smith@acme-logistics.example",
        (
            ("work", "5503302"),
            ("work", "+1 415-555-0100"),
            ("mobile", "+1 415-555-0142"),
            ("home", "+1 415 555 0177"),
            ("fax", "+1 415-555-0101"),
        ),
        owner_id=11,
        title="Operations Manager",
        street="100 Harbor Way",
        city="San Francisco",
        state="CA",
        zip="94105",
        country="United States",
        notes="Key account; prefers calls in the morning.",
    ),
    SeedPerson(
        1002,
        "Emma",
        "Johnson",
        "Northwind Traders",
        "emma.johnson@northwind.example",
        (("work", "+44 20 7946 0018"), ("mobile", "+44 7700 900123")),
        owner_id=12,
        title="Head of Purchasing",
        street="14 Fleet Street",
        city="London",
        zip="EC4Y 1AA",
        country="United Kingdom",
    ),
    SeedPerson(
        1003,
        "Lukas",
        "Müller",
        "Berliner Werkzeug GmbH",
        "l.mueller@berliner-werkzeug.example",
        (("work", "030 901820"), ("mobile", "+49 151 23456789")),
        owner_id=15,
        title="Geschäftsführer",
        street="Friedrichstraße 68",
        city="Berlin",
        zip="10117",
        country="Germany",
        notes="Stored with a national number: +4930901820 finds it too.",
    ),
    SeedPerson(
        1004,
        "Sofia",
        "Rossi",
        "Trattoria Digitale srl",
        "sofia.rossi@trattoria-digitale.example",
        (("work", "+39 02 8734 5120"), ("mobile", "+39 347 123 4567")),
        owner_id=12,
        city="Milano",
        zip="20121",
        country="Italy",
    ),
    SeedPerson(
        1005,
        "Camille",
        "Dubois",
        "Atelier Lumière",
        "camille@atelier-lumiere.example",
        (("work", "+33 1 42 68 53 00"), ("mobile", "+33 6 12 34 56 78")),
        owner_id=13,
        city="Paris",
        zip="75008",
        country="France",
    ),
    SeedPerson(
        1006,
        "Hiroshi",
        "Tanaka",
        "Sakura Robotics KK",
        "h.tanaka@sakura-robotics.example",
        (("work", "+81 3-1234-5678"),),
        owner_id=13,
        city="Tokyo",
        country="Japan",
    ),
    SeedPerson(
        1007,
        "Jing",
        "Chen",
        "Pearl River Trading Co.",
        "chen.jing@pearlriver.example",
        (("work", "+86 20 8888 6666"), ("mobile", "+86 138 0013 8000")),
        owner_id=13,
        city="Guangzhou",
        country="China",
    ),
    SeedPerson(
        1008,
        "Priya",
        "Sharma",
        "Lotus Software Pvt Ltd",
        "priya.sharma@lotus-software.example",
        (("work", "+91 80 4123 4567"), ("mobile", "+91 98450 12345")),
        owner_id=14,
        city="Bengaluru",
        state="Karnataka",
        country="India",
    ),
    SeedPerson(
        1009,
        "Carlos",
        "García",
        "Iberia Foods SA",
        "carlos.garcia@iberiafoods.example",
        (("work", "+34 912 345 678"), ("other", "+34 600 111 222")),
        owner_id=12,
        city="Madrid",
        country="Spain",
    ),
    SeedPerson(
        1010,
        "Olivia",
        "Brown",
        "Harbour Health",
        "olivia.brown@harbourhealth.example",
        (("work", "+61 2 5550 4321"), ("mobile", "+61 491 570 156")),
        owner_id=14,
        city="Sydney",
        state="NSW",
        country="Australia",
    ),
    SeedPerson(
        1011,
        "Noah",
        "Williams",
        "Maple Leaf Consulting",
        "noah@mapleleaf-consulting.example",
        (("work", "+1 555-1234"), ("mobile", "+1 (416) 555-0199")),
        owner_id=11,
        city="Toronto",
        state="ON",
        country="Canada",
        notes="Search +15551234 (E.164) to find the number stored as +1 555-1234.",
    ),
    SeedPerson(
        1012,
        "Ana",
        "Souza",
        "Verde Energia Ltda",
        "ana.souza@verde-energia.example",
        (("work", "+55 11 3456-7890"), ("home", "+55 11 2345-6789")),
        owner_id=15,
        city="São Paulo",
        country="Brazil",
    ),
)

AGENCY_NUMBER = "+1 800-555-0199"
"""The lead agency's callback line, on leads 5001-5003: one number that finds three leads."""

LEADS: tuple[SeedPerson, ...] = (
    SeedPerson(
        5001,
        "Mia",
        "Fischer",
        "Fischer Solar",
        "mia@fischer-solar.example",
        (("work", "+43 1 5350 123"), ("mobile", "+43 664 1234567"), ("other", AGENCY_NUMBER)),
        owner_id=15,
        status="new",
        source="web form",
    ),
    SeedPerson(
        5002,
        "Ethan",
        "Clark",
        "Clark Dental",
        "ethan@clarkdental.example",
        (("work", "+1 312-555-0166"), ("other", AGENCY_NUMBER)),
        owner_id=12,
        status="contacted",
        source="trade show",
    ),
    SeedPerson(
        5003,
        "Aisha",
        "Khan",
        "Dune Interiors",
        "aisha.khan@dune-interiors.example",
        (("work", "+971 4 123 4567"), ("mobile", "+971 50 123 4567"), ("other", AGENCY_NUMBER)),
        owner_id=14,
        status="qualified",
        source="referral",
    ),
    SeedPerson(
        5004,
        "Sven",
        "Larsen",
        "Fjord Marine AS",
        "sven@fjordmarine.example",
        (("work", "+47 22 12 34 56"),),
        owner_id=13,
        status="new",
        source="cold call",
    ),
)
