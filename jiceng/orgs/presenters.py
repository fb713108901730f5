"""How a person is shown to a given user: full inside the owning scope, masked outside (ARCHITECTURE §5)."""

from __future__ import annotations

from jiceng.accounts import scope
from jiceng.core.masking import mask_id_number, mask_phone

from .models import Person

MASKED_ROOM = "**"


def person_public_dict(person: Person, user) -> dict:
    full = scope.can_see_personal_data(user, person)
    area = person.area
    return {
        "id": person.pk,
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if full else None,
        "id_number": person.id_number if full else mask_id_number(person.id_number),
        "phone": person.phone if full else mask_phone(person.phone),
        "area": {"id": area.pk, "code": area.code, "name": area.name, "level": area.level} if area else None,
        "unit": person.unit if full else MASKED_ROOM,
        "room": person.room if full else MASKED_ROOM,
        "household": (person.household.number if person.household_id else None) if full else None,
        "household_relation": person.household_relation if full else "",
        "political_status": person.political_status,
        "masked": not full,
    }
