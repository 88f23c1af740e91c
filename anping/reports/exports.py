"""Building an export in the background: progress written as it goes, the requester notified."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anping.notifications.services import notify

from . import excel
from .models import ReportExport

log = logging.getLogger(__name__)


def build_export(export_id: int) -> None:
    """Build one export; harmless twice: a finished export is left alone, and a second build of
    an unfinished one simply writes the same file again."""
    export = ReportExport.objects.select_related("report__region", "requested_by").get(pk=export_id)
    if export.status == ReportExport.Status.DONE:
        return
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.RUNNING, progress=1, error=""
    )

    def progress(done: int, total: int) -> None:
        percent = min(99, max(1, int(done * 100 / total))) if total else 99
        ReportExport.objects.filter(pk=export.pk).update(progress=percent, rows_written=done)

    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.xlsx"
            rows = excel.build_workbook(export.report, str(path), progress)
            with path.open("rb") as f:
                export.file.save(
                    f"{export.report.month:%Y-%m}-{export.report.region.code}-{export.pk}.xlsx",
                    File(f),
                    save=False,
                )
    except Exception as exc:
        log.exception("export %s failed", export.pk)
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.DONE,
            progress=100,
            rows_written=rows,
            file=export.file.name,
            finished_at=timezone.now(),
        )
        if export.requested_by_id:
            notify(
                recipient=export.requested_by,
                kind="report_export_ready",
                title=_("The workbook for %(report)s is ready") % {"report": export.report},
                url=reverse("reports:export", args=[export.pk]),
                subject=export,
                day=timezone.localdate(),
            )
