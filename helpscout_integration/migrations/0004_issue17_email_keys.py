"""Re-key mirrored customer emails that earlier versions folded with `str.lower()`.

Before issue 17 the payload parser stored `"\u212aate@example.com".lower()`, which is
the ASCII `kate@example.com`: a different person's address. Each customer's raw Help
Scout JSON (`data`) is kept, so the emails are derived from it again with today's
parser and written only where they differ (ASCII-only addresses never do). Placeholder
rows, which hold no customer JSON, are left alone. Reads each customer once.
"""

from django.db import migrations


def rekey_customer_emails(apps, schema_editor):
    from helpscout_integration.exceptions import PayloadError
    from helpscout_integration.payloads import parse_customer

    Customer = apps.get_model("helpscout_integration", "Customer")
    alias = schema_editor.connection.alias if schema_editor else "default"
    rows = (
        Customer.objects.using(alias)
        .filter(is_placeholder=False)
        .values_list("id", "email", "emails", "data")
        .order_by("id")
    )
    changed = []
    for pk, email, emails, data in rows.iterator(chunk_size=1000):
        if not isinstance(data, dict) or data.get("id") is None:
            continue
        try:
            fields = parse_customer(data).fields
        except PayloadError:
            continue
        if fields["emails"] != (emails or []) or fields["email"] != email:
            changed.append((pk, fields["email"], fields["emails"]))
    for pk, email, emails in changed:
        Customer.objects.using(alias).filter(pk=pk).update(email=email, emails=emails)


class Migration(migrations.Migration):
    dependencies = [
        ("helpscout_integration", "0003_mirror_json_without_check_constraint"),
    ]

    operations = [
        migrations.RunPython(rekey_customer_emails, migrations.RunPython.noop, elidable=True),
    ]
