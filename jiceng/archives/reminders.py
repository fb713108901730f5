"""A-ARC-40: a file whose retention has expired goes to the appraisal group. Tick "archives.retention" schedules,
once per dossier and retention end, a reminder to the archivists (notify.schedule_reminder). Overdue loans are
reminded by the reminder `lend` schedules for the day after the due date (services.lend)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jiceng.core.ticking import register_tick
from jiceng.notify import services as notify
from jiceng.rules import archives as rules
from jiceng.rules.base import check

from .models import Dossier
from .services import archivist_users

CHUNK = 200


def retention_key(dossier: Dossier) -> str:
    return f"{rules.RETENTION_EXPIRY.id}:dossier:{dossier.pk}:{dossier.retention_until}"


@register_tick("archives.retention")
def schedule_retention_reminders(now: datetime.datetime) -> int:
    """Remind the archivists of every dossier whose retention ended before today and that was not reminded for
    this end yet. The conditional UPDATE claims each dossier, so two ticks remind once; a dossier given a new
    retention after appraisal is reminded again when that one ends."""
    today = timezone.localdate(now)
    due = (Dossier.objects.current().filter(retention_until__lt=today)
           .filter(Q(retention_reminded_until__isnull=True) | ~Q(retention_reminded_until=F("retention_until")))
           .select_related("area").order_by("retention_until", "pk")[:CHUNK])
    scheduled = 0
    for dossier in due:
        if not check(rules.RETENTION_EXPIRY, area=dossier.area, on=today, until=dossier.retention_until,
                     today=today).value:
            continue
        with transaction.atomic():
            claimed = (Dossier.objects.filter(pk=dossier.pk, retention_until=dossier.retention_until)
                       .exclude(retention_reminded_until=dossier.retention_until)
                       .update(retention_reminded_until=dossier.retention_until))
            if not claimed:
                continue
            notify.schedule_reminder(
                key=retention_key(dossier), due_at=now, recipients=archivist_users(dossier.area, today),
                title=f"保管期满：{dossier.title}",
                body=f"案卷「{dossier.title}」保管期限（{dossier.get_retention_display()}）已于{dossier.retention_until}"
                     "届满，请提交档案鉴定小组鉴定：仍有价值的重新划定保管期限，无保存价值的列入销毁清册。",
                rule_id=rules.RETENTION_EXPIRY.id, deadline=dossier.retention_until,
                link=f"/archives/{dossier.pk}/", subject=dossier)
            scheduled += 1
    return scheduled
