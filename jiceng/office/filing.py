"""What the office files into the street's archive (A-DOC-01/03 registered documents, A-LEAVE-01..04 leave filed
with the office, A-VISIT-03/12 closed letters and visits, A-SEAL-10 seal register): one yearly dossier per register,
opened on first use in the "general" series of the street."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiceng.archives import services as archives

from .staff import street_of

REGISTERS = {"outgoing": "发文登记", "leave": "请销假备案", "petitions": "来信来访", "seals": "印章使用登记"}


def file(actor, area, register: str, *, year: int, kind: str, title: str, data: dict, source,
         occurred_at: datetime.datetime | None = None) -> None:
    street = street_of(area)
    dossier = archives.open_dossier(street, "general", f"office-{register}-{year}",
                                    f"{street.name}{REGISTERS[register]}（{year}年）")
    archives.file_record(actor, dossier, kind=kind, title=title, data=data, source=source,
                         occurred_at=occurred_at or timezone.now())
