"""Model fields of the mirror."""

from django.db import models


class MirrorJSONField(models.JSONField):
    """A JSONField without the database's per-row JSON validity check.

    Django gives JSONField a CHECK constraint on SQLite (`JSON_VALID(column)`), MariaDB
    and Oracle, so the database parses every JSON value again as the row is written.
    Mirror columns hold what the writer serialised itself from parsed Help Scout JSON, so
    the check can never fail; on SQLite it was about 8% of the instructions of a sync page
    (each thread row carries ~1 KB of raw JSON and four JSON lists). Everything else is
    JSONField's: the column type, encoding, decoding and every JSON lookup. PostgreSQL
    has no such constraint (its `jsonb` type validates): there, nothing changes.
    """

    def db_check(self, connection):
        return None
