"""Create BottleCRM's test org, admin and agent, and print their credentials as NAME=value.

Run inside the chroot by start.sh (``python bootstrap.py`` with the Django environment of
django-env.sh). Idempotent for the org and users; every run issues a new personal access
token, which is why start.sh runs it only while state/credentials.env is missing.
"""

import django

django.setup()

from common.models import Org, PersonalAccessToken, Profile, User  # noqa: E402
from django.db import connection  # noqa: E402

ADMIN_EMAIL = "admin@peer.test"
AGENT_EMAIL = "agent@peer.test"
ORG_NAME = "Peer Org"

admin, _ = User.objects.get_or_create(email=ADMIN_EMAIL, defaults={"name": "Peer Admin"})
admin.set_password("PeerAdmin-123")
admin.is_superuser = True
admin.is_staff = True
admin.save()
org = Org.objects.filter(name=ORG_NAME).first() or Org.objects.create(name=ORG_NAME)
# row-level security: tell PostgreSQL which tenant the next statements act for
with connection.cursor() as cursor:
    cursor.execute("select set_config('app.current_org', %s, false)", [str(org.id)])
profile, _ = Profile.objects.get_or_create(
    user=admin,
    org=org,
    defaults={"role": "ADMIN", "is_organization_admin": True, "phone": "+15550100"},
)
agent, _ = User.objects.get_or_create(email=AGENT_EMAIL, defaults={"name": "Peer Agent"})
Profile.objects.get_or_create(user=agent, org=org, defaults={"role": "USER", "phone": "+15550101"})
raw_token, _ = PersonalAccessToken.generate(profile, "crmtpl-e2e")

print(f"BOTTLECRM_ORG_ID={org.id}")
print(f"BOTTLECRM_ORG_API_KEY={org.api_key}")
print(f"BOTTLECRM_PAT={raw_token}")
print(f"BOTTLECRM_ADMIN_EMAIL={ADMIN_EMAIL}")
