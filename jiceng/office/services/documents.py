"""Documents and seals (公文处理 A-DOC, A-FMT-11; 印章 A-SEAL): the outgoing document's ten steps with review by the
leader in charge and sign-off by the issuer's signatory, numbering per issuer/kind/year under a row lock, the
incoming register with its routing slip and deadline, and seal use with its register."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict, PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area
from jiceng.rules import office as r
from jiceng.rules.base import check

from .. import filing, staff
from ..models import IncomingDocument, OutgoingDocument, SealUse, Section
from .leave import on_leave
from .petitions import next_serial

OFFICE_STEPS = {"checked", "rechecked", "proofread", "printed", "sealed", "issued"}


@transaction.atomic
def draft_document(actor, *, street: Area, issuer: str, kind: str, issuer_code: str, title: str, recipients: str,
                   body: str, section: str, urgency: str = OutgoingDocument.Urgency.NORMAL) -> OutgoingDocument:
    """A section (or the office) drafts an outgoing document (A-DOC-02/11/12: kind, recipients and urgency are
    required; a title over 20 characters is allowed but warned, A-FMT-02)."""
    staff.require_office_staff(actor, street)
    missing = [name for name, value in (("kind", kind), ("issuer_code", issuer_code), ("title", title),
                                        ("recipients", recipients), ("body", body)) if not (value or "").strip()]
    if missing or issuer not in OutgoingDocument.Issuer.values or section not in Section.values \
            or urgency not in OutgoingDocument.Urgency.values:
        raise ValidationFailed("发文机关、文种、机关代字、标题、主送机关、正文、拟稿科室和紧急程度均须填写。",
                               "Issuer, kind, code, title, recipients, body, section and urgency are required.",
                               facts={"missing": missing})
    doc = OutgoingDocument.objects.create(area=street, issuer=issuer, kind=kind.strip(),
                                          issuer_code=issuer_code.strip(),
                                          title=title.strip(), recipients=recipients.strip(), body=body,
                                          section=section, urgency=urgency, drafted_by=actor)
    record_event(actor, "office.document_drafted", doc, after={"issuer": issuer, "kind": kind, "title": title})
    return doc


def _locked(doc: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update(of=("self",)).select_related("area").get(pk=doc.pk)


@transaction.atomic
def advance(actor, doc: OutgoingDocument, *, step: str) -> OutgoingDocument:
    """An office step of A-DOC-10 in the V-DOC order (核稿, 复核, 校核, 缮印, 用印, 发文); review, sign-off and
    registration have their own functions."""
    staff.require_office_staff(actor, doc.area)
    if step not in OFFICE_STEPS:
        raise ValidationFailed(f"步骤{step}须通过专门操作办理。", f"Step {step} has its own operation.",
                               facts={"field": "step"})
    doc = _locked(doc)
    doc.move_to(step)
    doc.save(update_fields=["status"])
    record_event(actor, f"office.document_{step}", doc, after={"status": step})
    return doc


@transaction.atomic
def review(actor, doc: OutgoingDocument) -> OutgoingDocument:
    """A-DOC-13: the leader in charge reviews before sign-off."""
    doc = _locked(doc)
    person = staff.person_of(actor)
    check(r.DOC_REVIEW, area=doc.area, on=staff.today(),
          satisfied=staff.may_act_as(person, r.LEADER_IN_CHARGE, doc.area, staff.today()))
    doc.move_to(OutgoingDocument.Status.REVIEWED)
    doc.reviewed_by = person
    doc.save(update_fields=["status", "reviewed_by"])
    record_event(actor, "office.document_reviewed", doc, after={"reviewer": person.pk})
    return doc


@transaction.atomic
def sign_off(actor, doc: OutgoingDocument) -> OutgoingDocument:
    """A-DOC-14: the issuer's signatory signs; the presiding deputy only while the principal has approved leave
    covering today. The sign-off is an immutable, time-stamped event (A-FMT-13)."""
    doc = _locked(doc)
    person = staff.person_of(actor)
    today = staff.today()
    posts = tuple(p.post for p in staff.posts_of(person, today, doc.area))
    principal_post = r.DOC_SIGNATORY.params.signatories[doc.issuer][0]
    principals = staff.holders(principal_post, doc.area, today)
    away = bool(principals) and all(on_leave(p, today) for p in principals)
    signed_as = check(r.DOC_SIGNATORY, area=doc.area, on=today, issuer=doc.issuer, signer_posts=posts,
                      principal_away=away).value
    doc.move_to(OutgoingDocument.Status.SIGNED_OFF)
    doc.signed_by, doc.signed_post, doc.signed_at = person, signed_as, timezone.now()
    doc.save(update_fields=["status", "signed_by", "signed_post", "signed_at"])
    record_event(actor, "office.document_signed_off", doc,
                 after={"signer": person.pk, "as": signed_as, "title": doc.title, "body_length": len(doc.body)})
    return doc


@transaction.atomic
def edit(actor, doc: OutgoingDocument, *, title: str | None = None, body: str | None = None) -> OutgoingDocument:
    """A content change; after sign-off it voids the sign-off and sends the document back to `reviewed`
    (A-DOC-15); after registration it is refused."""
    staff.require_office_staff(actor, doc.area)
    doc = _locked(doc)
    new_status = check(r.DOC_CHANGE_AFTER_SIGNOFF, area=doc.area, on=staff.today(), status=doc.status).value
    before = {"title": doc.title, "body_length": len(doc.body), "status": doc.status}
    if title is not None:
        doc.title = title.strip()
    if body is not None:
        doc.body = body
    if new_status != doc.status:
        doc.move_to(new_status)
        doc.signed_by, doc.signed_post, doc.signed_at = None, "", None
    doc.save()
    record_event(actor, "office.document_edited", doc, before=before,
                 after={"title": doc.title, "body_length": len(doc.body), "status": doc.status})
    return doc


@transaction.atomic
def register(actor, doc: OutgoingDocument, *, on: datetime.date | None = None) -> OutgoingDocument:
    """登记 after sealing: allocate the document number (A-DOC-03, A-FMT-11) from the (street, issuer, kind, year)
    counter under select_for_update, in this transaction; the unique constraint backs it up."""
    staff.require_office_staff(actor, doc.area)
    doc = _locked(doc)
    on = on or staff.today()
    doc.move_to(OutgoingDocument.Status.REGISTERED)
    serial = next_serial(f"doc:{doc.area_id}:{doc.issuer}:{doc.kind}:{on.year}")
    doc.year, doc.serial, doc.issued_on = on.year, serial, on
    doc.number = check(r.DOC_NUMBER, area=doc.area, on=on, code=doc.issuer_code, year=on.year, serial=serial).value
    try:
        with transaction.atomic():
            doc.save(update_fields=["status", "year", "serial", "number", "issued_on"])
    except IntegrityError:
        raise Conflict("文号已被占用，请重试。", "The number is taken; try again.") from None
    record_event(actor, "office.document_registered", doc, after={"number": doc.number})
    filing.file(actor, doc.area, "outgoing", year=doc.year, kind="office.document_registered",
                title=f"{doc.number} {doc.title}", source=doc,
                data={"number": doc.number, "issuer": doc.issuer, "kind": doc.kind, "title": doc.title,
                      "recipients": doc.recipients, "body": doc.body, "signed_post": doc.signed_post,
                      "signed_by": doc.signed_by_id, "signed_at": doc.signed_at.isoformat() if doc.signed_at else None,
                      "issued_on": doc.issued_on.isoformat()})
    return doc


# Incoming documents ------------------------------------------------------------------------------------------

@transaction.atomic
def register_incoming(actor, *, street: Area, source: str, title: str, received_on: datetime.date,
                      source_number: str = "", own_deadline: datetime.date | None = None) -> IncomingDocument:
    """签收 and 登记 (A-DOC-20) with a routing slip that lists principal leaders before the leader in charge
    (A-DOC-21)."""
    staff.require_office_staff(actor, street)
    if not (source.strip() and title.strip()):
        raise ValidationFailed("来文单位和标题须填写。", "Source and title are required.", facts={"field": "title"})
    serial = next_serial(f"incoming:{street.pk}:{received_on.year}")
    routing = [{"post": post, "kind": "", "text": "", "person": None, "on": None}
               for post in check(r.DOC_ROUTING, area=street, on=received_on).value]
    doc = IncomingDocument.objects.create(area=street, serial=f"SW{street.code}-{received_on.year}-{serial:04d}",
                                          source=source.strip(), source_number=source_number.strip(),
                                          title=title.strip(), received_on=received_on, own_deadline=own_deadline,
                                          routing=routing, registered_by=actor)
    record_event(actor, "office.incoming_registered", doc, after={"serial": doc.serial, "source": doc.source})
    return doc


@transaction.atomic
def annotate_incoming(actor, doc: IncomingDocument, *, text: str = "", circle: bool = False) -> IncomingDocument:
    """The next leader on the routing slip annotates (A-DOC-21 order; A-DOC-24 opinion with name and date, or a
    circle). When every line is done the document is `instructed`."""
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    index = next((i for i, line in enumerate(doc.routing) if not line["kind"]), None)
    if index is None:
        raise Conflict("文件处理签已签完。", "The routing slip is complete.")
    line = doc.routing[index]
    person = staff.person_of(actor)
    if not staff.may_act_as(person, line["post"], doc.area, staff.today()):
        raise PermissionDenied("请按先主要领导、后分管领导的顺序阅示。",
                               "Principal leaders annotate first, then the leader in charge.",
                               facts={"post": line["post"]})
    if not circle and not text.strip():
        raise ValidationFailed("请签署意见或圈阅。", "Write an opinion or circle.", facts={"field": "text"})
    doc.routing[index] = {**line, "kind": "circle" if circle else "opinion", "text": text.strip(),
                          "person": person.name, "on": staff.today().isoformat()}
    if index == len(doc.routing) - 1:
        doc.move_to(IncomingDocument.Status.INSTRUCTED)
    doc.save(update_fields=["routing", "status"])
    record_event(actor, "office.incoming_annotated", doc, after=doc.routing[index])
    return doc


@transaction.atomic
def assign_incoming(actor, doc: IncomingDocument, *, section: str,
                    assigned_on: datetime.date | None = None) -> IncomingDocument:
    """承办: due in 15 working days from assignment unless the document sets its own deadline (A-DOC-23)."""
    staff.require_office_staff(actor, doc.area)
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if section not in Section.values:
        raise ValidationFailed("承办科室无效。", "Invalid section.", facts={"field": "section"})
    assigned_on = assigned_on or staff.today()
    doc.move_to(IncomingDocument.Status.IN_PROGRESS)
    doc.lead_section, doc.assigned_on = section, assigned_on
    doc.due_on = check(r.DOC_INCOMING_DEADLINE, area=doc.area, on=assigned_on, assigned_on=assigned_on,
                       own_deadline=doc.own_deadline).value
    doc.save(update_fields=["status", "lead_section", "assigned_on", "due_on"])
    record_event(actor, "office.incoming_assigned", doc, after={"section": section, "due_on": doc.due_on})
    _remind_incoming(doc)
    return doc


def _remind_incoming(doc: IncomingDocument) -> None:
    """REMIND at working days 10 and 14 of the 15 (A-DOC-23, inferred) and after the deadline; to the leaders in
    charge and the office director. Idempotent by key; moved when the deadline is extended."""
    from jiceng.notify import services as notify

    today = staff.today()
    users = staff.users_of([*staff.holders(r.LEADER_IN_CHARGE, doc.area, today),
                            *staff.holders(r.OFFICE_DIRECTOR, doc.area, today)])
    if not users or doc.due_on is None:
        return
    params = r.DOC_INCOMING_DEADLINE.params
    calendar = r.DEFAULT_CALENDAR
    key = f"{r.DOC_INCOMING_DEADLINE.id}:incoming:{doc.pk}"
    moments = [(f"day{n}", calendar.add_working_days(doc.assigned_on, n)) for n in params.remind_at
               if doc.own_deadline is None]
    moments.append(("overdue", doc.due_on + datetime.timedelta(days=1)))
    for suffix, day in moments:
        due_at = timezone.make_aware(datetime.datetime.combine(max(day, today), datetime.time(9)))
        notify.schedule_reminder(key=f"{key}:{suffix}", due_at=due_at, recipients=users,
                                 title=f"收文{doc.serial}{'已逾期' if suffix == 'overdue' else '临近办理期限'}",
                                 body=f"「{doc.title[:60]}」须按期办结。", rule_id=r.DOC_INCOMING_DEADLINE.id,
                                 deadline=doc.due_on, link="/office/documents/", subject=doc)


# Seals -------------------------------------------------------------------------------------------------------

@transaction.atomic
def request_seal(actor, *, street: Area, seal: str, purpose: str, description: str, copies: int = 1,
                 document: OutgoingDocument | None = None, take_out: bool = False) -> SealUse:
    """A seal use request routed by purpose (A-SEAL-11); fee receipts are refused (A-SEAL-02)."""
    staff.require_office_staff(actor, street)
    if purpose not in SealUse.Purpose.values or not description.strip() or not seal.strip():
        raise ValidationFailed("请填写印章、用途和事由。", "Give the seal, purpose and description.",
                               facts={"field": "purpose"})
    route = check(r.SEAL_APPROVAL, area=street, on=staff.today(), purpose=purpose).value
    if purpose == SealUse.Purpose.SIGNED_DOCUMENT and (document is None or document.signed_at is None):
        raise ValidationFailed("已签发文件用印须关联已签发的发文。", "Link the signed-off document.",
                               facts={"field": "document"})
    person = staff.person_of(actor)
    if person is None:
        raise PermissionDenied("用印人须登记为人员。", "The requester must be a registered person.")
    use = SealUse.objects.create(area=street, seal=seal.strip(), purpose=purpose, description=description.strip(),
                                 copies=copies, document=document, take_out=take_out, requester=person,
                                 approver_post=route.approver, created_by=actor)
    record_event(actor, "office.seal_requested", use, after={"purpose": purpose, "approver": route.approver,
                                                             "take_out": take_out})
    return use


@transaction.atomic
def approve_seal(actor, use: SealUse, *, signed: bool = False) -> SealUse:
    """The approver of the purpose consents; contracts also need the director's signature (A-SEAL-11 (b)); a
    take-out needs a leader's approval (A-SEAL-12)."""
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    person = staff.person_of(actor)
    if not staff.may_act_as(person, use.approver_post, use.area, staff.today()):
        raise PermissionDenied("此用途的用印应由相应领导审批。", "This purpose needs its approver.",
                               facts={"post": use.approver_post})
    route = r.seal_route(r.NoParams(), purpose=use.purpose)
    if route.signature_required and not signed:
        raise r.SEAL_APPROVAL.violation("director_signature_required", "协议、合同用印须办事处主任签字",
                                        "Contracts need the director's signature", {"purpose": use.purpose})
    if use.take_out:
        check(r.SEAL_TAKEOUT, area=use.area, on=staff.today(),
              satisfied=bool(staff.leader_posts(person, staff.street_of(use.area), staff.today())))
    use.move_to(SealUse.Status.APPROVED)
    use.approver, use.approver_signed = person, signed
    use.save(update_fields=["status", "approver", "approver_signed"])
    record_event(actor, "office.seal_approved", use, after={"approver": person.pk, "signed": signed})
    return use


@transaction.atomic
def use_seal(actor, use: SealUse, *, requester_signature: str) -> SealUse:
    """The keeper affixes the seal and the requester signs the register (A-SEAL-10/11)."""
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    if not staff.may_act_as(staff.person_of(actor), r.SEAL_KEEPER, use.area, staff.today()):
        raise PermissionDenied("只有印章管理人员可以用印。", "Only the seal keeper affixes the seal.")
    check(r.SEAL_REGISTER, area=use.area, on=staff.today(), seal=use.seal, purpose=use.purpose,
          requester_signature=(requester_signature or "").strip())
    use.move_to(SealUse.Status.USED)
    use.requester_signature, use.used_at = requester_signature.strip(), timezone.now()
    use.save(update_fields=["status", "requester_signature", "used_at"])
    record_event(actor, "office.seal_used", use, after={"document": use.document_id, "copies": use.copies})
    filing.file(actor, use.area, "seals", year=use.used_at.year, kind="office.seal_used",
                title=f"{use.seal} {use.description}"[:200], source=use,
                data={"seal": use.seal, "purpose": use.purpose, "description": use.description, "copies": use.copies,
                      "document": use.document_id, "approver": use.approver_id, "approver_signed": use.approver_signed,
                      "requester": use.requester_id, "requester_signature": use.requester_signature})
    return use


@transaction.atomic
def refuse_seal(actor, use: SealUse, *, reason: str) -> SealUse:
    """The keeper (or the approver) refuses a non-compliant request with a reason (A-SEAL-13)."""
    use = SealUse.objects.select_for_update().get(pk=use.pk)
    person = staff.person_of(actor)
    if not (staff.may_act_as(person, r.SEAL_KEEPER, use.area, staff.today())
            or staff.may_act_as(person, use.approver_post, use.area, staff.today())):
        raise PermissionDenied("只有印章管理人员或审批人可以拒绝。", "Only the keeper or the approver may refuse.")
    if not reason.strip():
        raise ValidationFailed("请说明拒绝理由。", "Give the reason.", facts={"field": "reason"})
    use.move_to(SealUse.Status.REFUSED)
    use.refusal_reason = reason.strip()
    use.save(update_fields=["status", "refusal_reason"])
    record_event(actor, "office.seal_refused", use, after={"reason": use.refusal_reason})
    return use


@transaction.atomic
def explain_delay(actor, doc: IncomingDocument, *, reason: str, new_due_on: datetime.date) -> IncomingDocument:
    """A-DOC-23: a handling that cannot finish in time gives the reason to the assigning body within the deadline;
    only then is the deadline moved."""
    staff.require_office_staff(actor, doc.area)
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if doc.status != IncomingDocument.Status.IN_PROGRESS or doc.due_on is None:
        raise Conflict("只有承办中的文件可以延期。", "Only documents in progress can be extended.")
    if staff.today() > doc.due_on:
        raise r.DOC_INCOMING_DEADLINE.violation("explanation_late", "已超过办理期限，须在期限内说明理由",
                                                "The deadline has passed; the reason must be given within it",
                                                {"due_on": doc.due_on.isoformat()})
    if not reason.strip() or new_due_on <= doc.due_on:
        raise ValidationFailed("请说明理由并给出新的期限。", "Give a reason and a later deadline.",
                               facts={"field": "reason"})
    before = doc.due_on
    doc.extension_reason, doc.due_on = reason.strip(), new_due_on
    doc.save(update_fields=["extension_reason", "due_on"])
    record_event(actor, "office.incoming_extended", doc, before={"due_on": before},
                 after={"due_on": new_due_on, "reason": doc.extension_reason})
    _remind_incoming(doc)
    return doc


@transaction.atomic
def reply_incoming(actor, doc: IncomingDocument, *, replied_on: datetime.date | None = None) -> IncomingDocument:
    """办结 (回复): the handling is finished and reported back."""
    staff.require_office_staff(actor, doc.area)
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    doc.move_to(IncomingDocument.Status.REPLIED)
    doc.replied_on = replied_on or staff.today()
    doc.save(update_fields=["status", "replied_on"])
    record_event(actor, "office.incoming_replied", doc, after={"on": doc.replied_on,
                                                               "late": doc.replied_on > doc.due_on})
    from jiceng.notify import services as notify

    notify.cancel_reminders(f"{r.DOC_INCOMING_DEADLINE.id}:incoming:{doc.pk}")
    return doc
