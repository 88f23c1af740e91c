"""A published month never changes, even outside the services: triggers refuse any update or
delete of a published report, and any insert, update or delete of its figures."""

from django.db import migrations

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION reports_refuse_published_report() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'published' THEN
            RAISE EXCEPTION 'report % is published and cannot change', OLD.id
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER reports_monthlyreport_published_guard
    BEFORE UPDATE OR DELETE ON reports_monthlyreport
    FOR EACH ROW EXECUTE FUNCTION reports_refuse_published_report();
    """,
    """
    CREATE OR REPLACE FUNCTION reports_refuse_published_figure() RETURNS trigger AS $$
    DECLARE
        rid bigint;
    BEGIN
        IF TG_OP = 'DELETE' THEN rid := OLD.report_id; ELSE rid := NEW.report_id; END IF;
        IF EXISTS (SELECT 1 FROM reports_monthlyreport WHERE id = rid AND status = 'published')
           OR (TG_OP = 'UPDATE' AND EXISTS (
               SELECT 1 FROM reports_monthlyreport WHERE id = OLD.report_id AND status = 'published'))
        THEN
            RAISE EXCEPTION 'figures of published report % cannot change', rid
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER reports_figure_published_guard
    BEFORE INSERT OR UPDATE OR DELETE ON reports_figure
    FOR EACH ROW EXECUTE FUNCTION reports_refuse_published_figure();
    """,
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS reports_figure_published_guard ON reports_figure",
    "DROP FUNCTION IF EXISTS reports_refuse_published_figure()",
    "DROP TRIGGER IF EXISTS reports_monthlyreport_published_guard ON reports_monthlyreport",
    "DROP FUNCTION IF EXISTS reports_refuse_published_report()",
]

SQLITE = [
    """
    CREATE TRIGGER reports_monthlyreport_published_update BEFORE UPDATE ON reports_monthlyreport
    WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, 'report is published and cannot change'); END;
    """,
    """
    CREATE TRIGGER reports_monthlyreport_published_delete BEFORE DELETE ON reports_monthlyreport
    WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, 'report is published and cannot change'); END;
    """,
    """
    CREATE TRIGGER reports_figure_published_insert BEFORE INSERT ON reports_figure
    WHEN (SELECT status FROM reports_monthlyreport WHERE id = NEW.report_id) = 'published'
    BEGIN SELECT RAISE(ABORT, 'figures of a published report cannot change'); END;
    """,
    """
    CREATE TRIGGER reports_figure_published_update BEFORE UPDATE ON reports_figure
    WHEN (SELECT status FROM reports_monthlyreport WHERE id = OLD.report_id) = 'published'
      OR (SELECT status FROM reports_monthlyreport WHERE id = NEW.report_id) = 'published'
    BEGIN SELECT RAISE(ABORT, 'figures of a published report cannot change'); END;
    """,
    """
    CREATE TRIGGER reports_figure_published_delete BEFORE DELETE ON reports_figure
    WHEN (SELECT status FROM reports_monthlyreport WHERE id = OLD.report_id) = 'published'
    BEGIN SELECT RAISE(ABORT, 'figures of a published report cannot change'); END;
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS reports_monthlyreport_published_update",
    "DROP TRIGGER IF EXISTS reports_monthlyreport_published_delete",
    "DROP TRIGGER IF EXISTS reports_figure_published_insert",
    "DROP TRIGGER IF EXISTS reports_figure_published_update",
    "DROP TRIGGER IF EXISTS reports_figure_published_delete",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
