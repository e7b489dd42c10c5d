"""On PostgreSQL the audit table refuses UPDATE and DELETE.

TRUNCATE stays possible: test databases are flushed with it between transactional tests.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION liaison_audit_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'liaison_auditentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER liaison_auditentry_append_only
    BEFORE UPDATE OR DELETE ON liaison_auditentry
    FOR EACH ROW EXECUTE FUNCTION liaison_audit_refuse();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS liaison_auditentry_append_only ON liaison_auditentry;
DROP FUNCTION IF EXISTS liaison_audit_refuse();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the plpgsql body's "%" is not a query placeholder.
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("liaison", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
