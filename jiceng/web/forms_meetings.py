"""Forms of the meeting pages: they parse what a secretary sends; jiceng.meetings.services decides what it means.

Closed lists come from the spec: hearing subjects E-05, council topics E-04, PWC scope E-16, evaluation forms
(000-A 第十三条)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.meetings.kinds import SPECS
from jiceng.meetings.models import AgendaItem, Kind, Meeting, NamedVote

# E-05 (000-A 第六条): the subject of a hearing belongs to one of these (R-HEAR-04).
HEARING_SUBJECTS = [
    ("H1", _("H1 社区建设的规划")),
    ("H2", _("H2 涉及本社区的公共事务和公益事业")),
    ("H3", _("H3 涉及本社区社会稳定的事项")),
    ("H4", _("H4 政府有关部门和街道办事处在社区组织实施的工作或活动")),
    ("H5", _("H5 其它需要听证的事项")),
]
# E-04 (000-A 第十条): what a deliberation council decides.
COUNCIL_TOPICS = [
    ("T1", _("T1 居民自治章程、居民公约等制度的制订和修改")),
    ("T2", _("T2 救灾、救济、扶贫、助残款物的分配发放")),
    ("T3", _("T3 国家和上级重要政策、重点工作在本社区的落实方案")),
    ("T4", _("T4 楼院管理、设施改造、环境优化、文明创建等公共事务")),
    ("T5", _("T5 居民意见较为集中的重点、难点、热点问题")),
    ("T6", _("T6 多数居民认为应纳入决策的其他事项")),
]
# E-16 (000-G 二1–9): what the street party working committee decides collectively.
PWC_TOPICS = [
    ("S1", _("S1 传达学习上级决策部署并决定贯彻意见")),
    ("S2", _("S2 经济建设、社会发展等重大问题")),
    ("S3", _("S3 党的思想、组织、作风、制度和反腐倡廉建设")),
    ("S4", _("S4 工会、团委、妇联等群众组织建设")),
    ("S5", _("S5 上报的重要请示报告、年度计划和总结")),
    ("S6", _("S6 听取各单位和社区党组织专项汇报")),
    ("S7", _("S7 年度经费预算、重大财政支出和项目")),
    ("S8", _("S8 班子分工、干部任免奖惩等干部事项")),
    ("S9", _("S9 其他应由党工委会议决定的事项")),
]
TOPICS = {Kind.DELIBERATION_COUNCIL: COUNCIL_TOPICS, Kind.PWC_MEETING: PWC_TOPICS}
EVALUATION_FORMS = [("comprehensive", _("综合评议")), ("special_topic", _("专题评议")), ("inspection", _("考察评议"))]
HEARING_PARTIES = {"street_office": _("街道办事处"), "party_org": _("社区党组织"), "residents_committee": _("居委会")}
DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_month(text: str | None) -> datetime.date | None:
    """"2025-04" → 2025-04-01; anything else → None."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def kinds_for(body) -> list[tuple[str, str]]:
    """The meeting kinds this body may hold (kinds.SPECS[kind].body_kinds)."""
    return [(kind, label) for kind, label in Kind.choices if body.kind in SPECS[kind].body_kinds]


class IdListField(forms.Field):
    """Several ids sent under one name (checkboxes, multi-selects): a list of distinct positive ints."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            ids = [int(v) for v in values if str(v).strip()]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("人员编号无效。"), code="invalid") from None
        if any(pk < 1 for pk in ids):
            raise forms.ValidationError(_("人员编号无效。"), code="invalid")
        return list(dict.fromkeys(ids))


class MeetingFilterForm(forms.Form):
    body = forms.IntegerField(label=_("机构"), required=False, min_value=1)
    kind = forms.ChoiceField(label=_("会议类型"), required=False, choices=[("", _("全部类型")), *Kind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *Meeting.Status.choices])
    month = forms.CharField(label=_("月份"), required=False, max_length=7,
                            widget=forms.TextInput(attrs={"type": "month"}))
    page = forms.IntegerField(required=False, min_value=1)

    def clean_month(self):
        text = self.cleaned_data["month"]
        if text and parse_month(text) is None:
            raise forms.ValidationError(_("月份格式应为 YYYY-MM。"))
        return text


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"))
    title = forms.CharField(label=_("会议名称"), max_length=200)
    scheduled_at = forms.DateTimeField(label=_("计划时间"), widget=DATETIME_LOCAL)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    subject_category = forms.ChoiceField(label=_("听证事项类别"), required=False,
                                         choices=[("", _("请选择")), *HEARING_SUBJECTS])
    evaluation_form = forms.ChoiceField(label=_("评议形式"), required=False,
                                        choices=[("", _("请选择")), *EVALUATION_FORMS])
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)
    expected = IdListField(label=_("参加人员"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(body)


class NoticeForm(forms.Form):
    published_at = forms.DateTimeField(label=_("通知发出时间"), widget=DATETIME_LOCAL)
    text = forms.CharField(label=_("通知内容（可不填，系统按会议信息生成）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=300)
    kind = forms.ChoiceField(label=_("议题类型"), choices=AgendaItem.ItemKind.choices,
                             initial=AgendaItem.ItemKind.ORDINARY)
    topic = forms.CharField(label=_("议题类别"), max_length=8, required=False)
    subject_person = forms.IntegerField(label=_("干部事项对象"), required=False, min_value=1)
    recommendation = forms.CharField(label=_("民主推荐情况"), max_length=500, required=False)
    inspection = forms.CharField(label=_("考察情况"), max_length=500, required=False)
    leader_opinion = forms.CharField(label=_("分管领导意见"), max_length=500, required=False)
    override_reason = forms.CharField(label=_("例外理由（临时增加议题时）"), max_length=500, required=False)

    def preconditions(self) -> dict:
        data = self.cleaned_data
        return {key: data[key].strip() for key in ("recommendation", "inspection", "leader_opinion")
                if data.get(key, "").strip()}


class ExpectedForm(forms.Form):
    expected = IdListField(label=_("参加人员"), required=False)


class ConfirmForm(forms.Form):
    party = forms.ChoiceField(choices=list(HEARING_PARTIES.items()))


class OverrideForm(forms.Form):
    override_reason = forms.CharField(label=_("例外理由（可不填）"), max_length=500, required=False)


class ThemeForm(forms.Form):
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)


class ReportedForm(forms.Form):
    reported_at = forms.DateTimeField(label=_("书面报告上级时间"), widget=DATETIME_LOCAL)


class DutyReportForm(forms.Form):
    reporter = forms.ChoiceField(label=_("述职人"))
    work_completed = forms.CharField(label=_("工作完成情况"), widget=forms.Textarea(attrs={"rows": 2}))
    performance = forms.CharField(label=_("个人履职情况"), widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("下步工作打算"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reporters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter"].choices = [(f"{role}:{pk}", label) for role, pk, label in reporters]

    def role_and_person(self) -> tuple[str, int]:
        role, _sep, pk = self.cleaned_data["reporter"].partition(":")
        return role, int(pk)


class HoldForm(forms.Form):
    """Check-in: who is present, who is on leave, chair, recorder, absentees' written opinions (`opinion_<id>`)."""

    held_at = forms.DateTimeField(label=_("召开时间"), widget=DATETIME_LOCAL)
    present = IdListField(label=_("出席"), required=False)
    leave = IdListField(label=_("请假"), required=False)
    chair = forms.IntegerField(label=_("主持人"), required=False, min_value=1)
    recorder = forms.IntegerField(label=_("记录人"), required=False, min_value=1)
    override_reason = forms.CharField(label=_("例外理由（可不填）"), max_length=500, required=False)

    def written_opinions(self) -> list[dict]:
        opinions = []
        for key in self.data:
            if key.startswith("opinion_") and key[8:].isdigit():
                text = (self.data.get(key) or "").strip()
                if text:
                    opinions.append({"person": int(key[8:]), "text": text})
        return opinions


class VoteForm(forms.Form):
    """Counts for a show of hands, oral or ballot vote; `vote_<id>` per present member for a named vote."""

    method = forms.ChoiceField(label=_("表决方式"), choices=AgendaItem.Method.choices,
                               initial=AgendaItem.Method.SHOW_OF_HANDS)
    yes = forms.IntegerField(label=_("赞成"), required=False, min_value=0)
    no = forms.IntegerField(label=_("反对"), required=False, min_value=0)
    abstain = forms.IntegerField(label=_("弃权"), required=False, min_value=0)
    recused = IdListField(label=_("回避"), required=False)

    def named_votes(self) -> list[dict] | None:
        if self.cleaned_data.get("method") != AgendaItem.Method.NAMED:
            return None
        votes = []
        for key in self.data:
            if key.startswith("vote_") and key[5:].isdigit():
                choice = self.data.get(key) or ""
                if choice in NamedVote.Choice.values:
                    votes.append({"person": int(key[5:]), "choice": choice})
        return votes


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(choices=[(AgendaItem.Status.NOT_HANDLED, _("不办")),
                                            (AgendaItem.Status.POSTPONED, _("缓办"))])


class PublishedForm(forms.Form):
    published_on = forms.DateField(label=_("结果公布日期"), widget=DATE)


class OnForm(forms.Form):
    on = forms.DateField(label=_("查看日期"), required=False, widget=DATE)
