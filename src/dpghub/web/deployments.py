"""Deployments' pages: countries (index and one country), the world map, the deployments (list, one, record,
edit, confirm, dispute, withdraw a dispute) and the implementer directory.

Views parse the request, call :mod:`dpghub.deployments` (presenters and selectors to read, services to
write: they check who may do what), and render. What a country's page shows is worked out once in
:mod:`dpghub.deployments.presenters`, which its JSON twin uses too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from dpghub.catalog.errors import GoodNotFound
from dpghub.catalog.models import Good
from dpghub.catalog.selectors import good_get
from dpghub.common.authz import actor_may
from dpghub.common.errors import Conflict, InvalidInput
from dpghub.common.history import Actor
from dpghub.common.selectors import history_of
from dpghub.core.countries import country_name
from dpghub.deployments.countries import country_resolve
from dpghub.deployments.enums import (
    DpiLayer,
    PartnerRole,
    ReachUnit,
    Sector,
    SourceKind,
    Stage,
    VerificationState,
)
from dpghub.deployments.errors import CountryNotFound, DeploymentsError
from dpghub.deployments.models import Deployment
from dpghub.deployments.presenters import (
    INDEX_ORDER,
    check_choice,
    country_code,
    country_page,
    deployment_counts,
    world_shapes,
)
from dpghub.deployments.rules import DEPLOYMENTS_RULES
from dpghub.deployments.selectors import (
    deployment_get,
    deployment_is_stale,
    deployment_list,
    implementer_directory,
)
from dpghub.deployments.services import (
    deployment_confirm,
    deployment_dispute,
    deployment_record,
    deployment_resolve,
    deployment_update,
)
from dpghub.orgs.models import Organisation
from dpghub.orgs.selectors import organisation_list

#: Deployments per page of the list.
PAGE_SIZE = 50
#: The map's shades: 0 (none) then 5 steps on a logarithmic scale of the largest count.
MAP_LEVELS = 5


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "en") or "en"


def _country(code: str, request: HttpRequest) -> str:
    return country_name(code, _language(request)) if code else ""


def area_label(area: str) -> str:
    """The label of a layer, of 'sector:<sector>', or of '' (neither said)."""
    if area.startswith("sector:"):
        value = area.removeprefix("sector:")
        return str(Sector(value).label) if value in Sector.values else value
    if area in DpiLayer.values:
        return str(DpiLayer(area).label)
    return _("Layer or sector not said")


def verification_marks() -> dict[str, dict[str, str]]:
    """Each state's mark (a shape, never colour alone) and word, as the rows of a long table show them."""
    return {VerificationState.VERIFIED: {"mark": "✓", "label": _("Verified")},
            VerificationState.DISPUTED: {"mark": "✗", "label": _("Disputed")},
            VerificationState.CLAIMED: {"mark": "?", "label": _("Claimed")}}


def _reach(d: dict) -> str:
    if d["reach"] is None:
        return "—"
    unit = str(ReachUnit(d["reach_unit"]).label).lower() if d["reach_unit"] in ReachUnit.values else ""
    text = f"{d['reach']} {unit}".strip()
    if d["reach_as_of"]:
        text += " (" + _("as of %(date)s") % {"date": date_format(d["reach_as_of"], "DATE_FORMAT")} + ")"
    return text


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else _("Stage not said")


# -- filters (GET forms) -------------------------------------------------------------------------------

@dataclass
class Filters:
    good: Good | None = None
    country: str = ""
    layer: str = ""
    stage: str = ""
    verification: str = ""
    error: str = ""

    def query(self, **extra: str) -> str:
        params = [(name, value) for name, value in (
            ("good", self.good.slug if self.good else ""), ("country", self.country), ("layer", self.layer),
            ("stage", self.stage), ("verification", self.verification)) if value]
        params.extend((k, v) for k, v in extra.items() if v)
        return urlencode(params)


def _filters(request: HttpRequest) -> Filters:
    """The filters from the query string; a wrong value is dropped and said, never an error page."""
    get = request.GET
    errors: list[str] = []
    filters = Filters()
    slug = get.get("good", "").strip()[:100]
    if slug:
        try:
            filters.good = good_get(slug=slug)
        except GoodNotFound:
            errors.append(_("No registered good “%(slug)s”; all goods are shown.") % {"slug": slug})
    country = get.get("country", "").strip()[:60]
    if country:
        filters.country = country_resolve(country) or ""
        if not filters.country:
            errors.append(_("“%(value)s” is not an ISO 3166 country; all countries are shown.") % {"value": country})
    for name, vocabulary in (("layer", DpiLayer), ("stage", Stage), ("verification", VerificationState)):
        value = get.get(name, "")
        try:
            setattr(filters, name, check_choice(value, vocabulary, name))
        except InvalidInput as exc:
            errors.append(exc.message)
    filters.error = " ".join(errors)
    return filters


def _filter_choices() -> dict:
    return {"layers": DpiLayer.choices, "stages": Stage.choices, "verifications": VerificationState.choices}


# -- countries -----------------------------------------------------------------------------------------

def countries_index(request: HttpRequest) -> HttpResponse:
    rows = deployment_counts(viewer=request.user)
    for row in rows:
        row["name"] = _country(row["country"], request)
    rows.sort(key=lambda row: row["name"].casefold())
    return render(request, "web/countries.html", {
        "rows": rows, "total": sum(row["deployments"] for row in rows), "nav": "countries",
        "json_url": reverse("api-v1:countries_list"),
    })


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        canonical = country_code(code)
    except CountryNotFound:
        raise Http404(_("No such country.")) from None
    if code != canonical:
        return redirect("web:country", code=canonical, permanent=True)
    page = country_page(viewer=request.user, code=canonical)
    name = _country(canonical, request)
    areas: list[dict] = []
    for area, stages in page["by_layer_and_stage"].items():
        areas.append({"label": area_label(area), "total": sum(stages.values()),
                      "stages": [stages.get(stage, 0) for stage in [*Stage.values, ""]]})
    states = verification_marks()
    groups: list[dict] = []
    for d in page["deployments_shown"]:
        if not groups or groups[-1]["area"] != d["area"]:
            groups.append({"area": d["area"], "label": area_label(d["area"]), "rows": []})
        groups[-1]["rows"].append({**d, "stage_label": stage_label(d["stage"]),
                                   "state": states[d["verification"]], "reach_text": _reach(d)})
    return render(request, "web/country.html", {
        "page": page, "country_label": name, "country_code": canonical, "areas": areas, "groups": groups,
        "stale_word": _("stale"),
        "stages": [*(label for _v, label in Stage.choices), _("Stage not said")],
        "more": page["deployments"] - len(page["deployments_shown"]),
        "list_url": reverse("web:deployments") + "?" + urlencode({"country": canonical}),
        "nav": "countries", "json_url": reverse("api-v1:country_detail", kwargs={"code": canonical}),
    })


# -- the world map -------------------------------------------------------------------------------------

def _level(count: int, most: int) -> int:
    if count <= 0:
        return 0
    if most <= 1:
        return MAP_LEVELS
    return 1 + min(MAP_LEVELS - 1, int(MAP_LEVELS * math.log(count) / math.log(most + 1)))


def world_map(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    filters.country = filters.verification = ""  # the map filters by good, layer and stage only
    rows = deployment_counts(viewer=request.user, good=filters.good.slug if filters.good else "",
                             layer=filters.layer, stage=filters.stage)
    counts = {row["country"]: row for row in rows}
    most = rows[0]["deployments"] if rows else 0
    shapes = world_shapes()
    # The ~170 shapes are joined here rather than looped over in the template: a tenth of the time.
    prefix = reverse("web:countries")
    shapes_svg = []
    for code, path in shapes["countries"].items():
        row = counts.get(code)
        n = row["deployments"] if row else 0
        label = escape(ngettext("%(name)s: %(n)d deployment", "%(name)s: %(n)d deployments", n)
                       % {"name": _country(code, request), "n": n})
        shapes_svg.append(f'<a href="{prefix}{code}/" aria-label="{label}"><title>{label}</title>'
                          f'<path class="m{_level(n, most)}" d="{path}"/></a>')
    for row in rows:
        row["name"] = _country(row["country"], request)
        row["on_map"] = row["country"] in shapes["countries"]
    legend = []
    if most:
        bounds = sorted({math.ceil(math.exp(step * math.log(most + 1) / MAP_LEVELS)) for step in range(MAP_LEVELS)})
        legend = [{"level": _level(bound, most), "from": bound} for bound in bounds]
    return render(request, "web/map.html", {
        "filters": filters, **_filter_choices(), "shapes_svg": mark_safe("\n".join(shapes_svg)),  # noqa: S308 - escaped above
        "rows": rows, "shapes": shapes,
        "legend_steps": legend, "countries_url": reverse("web:countries"), "total": sum(row["deployments"] for row in rows), "nav": "countries",
        "goods": _goods_with_deployments(filters.good),
        "json_url": reverse("api-v1:countries_list") + ("?" + filters.query() if filters.query() else ""),
    })


def _goods_with_deployments(chosen: Good | None) -> list[Good]:
    """The goods a filter offers: the chosen one and those of the most recently changed deployments (read
    from the updated_at index: at a million deployments a DISTINCT over all of them is too slow for a page;
    any other good is reached from its own page's links)."""
    recent = list(dict.fromkeys(Deployment.objects.order_by("-updated_at").values_list("good_id", flat=True)[:2000]))
    goods = list(Good.objects.filter(pk__in=recent[:200]).order_by("name").only("slug", "name"))
    if chosen is not None and chosen not in goods:
        goods.insert(0, chosen)
    return goods


# -- deployments ---------------------------------------------------------------------------------------

def _row(request: HttpRequest, d: Deployment) -> dict:
    return {"d": d, "country_label": _country(d.country, request), "area": area_label(d.layer or (
        f"sector:{d.sector}" if d.sector else "")), "stage_label": stage_label(d.stage),
            "is_stale": deployment_is_stale(d)}


def deployments_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    deployments = deployment_list(viewer=request.user, good=filters.good.slug if filters.good else "",
                                  country=filters.country, layer=filters.layer, stage=filters.stage,
                                  verification=filters.verification).order_by(*INDEX_ORDER)
    page = Paginator(deployments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.query()
    return render(request, "web/deployments.html", {
        "filters": filters, **_filter_choices(), "page": page, "rows": [_row(request, d) for d in page.object_list],
        "query": query, "country_label": _country(filters.country, request), "goods": _goods_with_deployments(filters.good),
        "nav": "countries", "json_url": reverse("api-v1:deployments_list") + (f"?{query}" if query else ""),
    })


def _may(request: HttpRequest, rule: str, deployment: Deployment | None = None) -> bool:
    return actor_may(DEPLOYMENTS_RULES, f"deployments.{rule}", actor=Actor.from_user(request.user), obj=deployment)


def deployment_detail(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = deployment_get(viewer=request.user, deployment_id=deployment_id)  # not found -> 404 page
    partners = list(deployment.partners.all())
    state = deployment.verification
    return render(request, "web/deployment.html", {
        "row": _row(request, deployment), "d": deployment,
        "implementers": [p for p in partners if p.role == PartnerRole.IMPLEMENTER],
        "funders": [p for p in partners if p.role == PartnerRole.FUNDER],
        "from_import": deployment.source_kind == SourceKind.IMPORT,
        "from_registry": deployment.source_kind == SourceKind.REGISTRY,
        "can_confirm": state != VerificationState.DISPUTED and deployment.agency_id is not None
        and _may(request, "confirm_deployment", deployment),
        "can_dispute": state != VerificationState.DISPUTED and _may(request, "dispute_deployment", deployment),
        "can_resolve": state == VerificationState.DISPUTED and _may(request, "dispute_deployment", deployment),
        "can_edit": _may(request, "change_deployment", deployment),
        "history": history_of(viewer=request.user, target=deployment, limit=50),
        "history_json_url": reverse("api-v1:deployment_history", kwargs={"id": deployment.pk}),
        "nav": "countries", "json_url": reverse("api-v1:deployment_detail", kwargs={"id": deployment.pk}),
    })


@require_POST
@login_required
def deployment_action(request: HttpRequest, deployment_id: int, action: str) -> HttpResponse:
    deployment = deployment_get(viewer=request.user, deployment_id=deployment_id)
    actor = Actor.person(request.user)
    try:
        if action == "confirm":
            deployment_confirm(actor=actor, deployment=deployment)
            done = _("The deployment is confirmed: it shows as verified by the deploying agency.")
        elif action == "dispute":
            deployment_dispute(actor=actor, deployment=deployment, reason=request.POST.get("reason", ""))
            done = _("The deployment is marked disputed; the deploying agency and the recorder are told.")
        elif action == "resolve":
            deployment_resolve(actor=actor, deployment=deployment)
            done = _("The dispute is withdrawn: the deployment is a claim again.")
        else:
            raise Http404()
    except (InvalidInput, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("web:deployment", deployment_id=deployment.pk)


# -- the record and edit form --------------------------------------------------------------------------

def _blank(choices) -> list:
    return [("", _("Not said")), *choices]


class DeploymentForm(forms.Form):
    """Shape only: the deployments services judge meaning (country, vocabularies, links, dates)."""

    good = forms.CharField(label=gettext_lazy("Good (its identifier in DPG Hub, e.g. dhis2)"), max_length=100)
    country = forms.CharField(label=gettext_lazy("Country (ISO 3166 code or name)"), max_length=60)
    agency = forms.ChoiceField(label=gettext_lazy("Deploying agency (a registered organisation)"), required=False)
    agency_name = forms.CharField(label=gettext_lazy("Or its name, when it is not registered"), required=False,
                                  max_length=300)
    layer = forms.ChoiceField(label=gettext_lazy("DPI layer"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), required=False)
    scope = forms.CharField(label=gettext_lazy("Geographic scope"), required=False, max_length=500)
    started_on = forms.DateField(label=gettext_lazy("Started on (YYYY-MM-DD)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(label=gettext_lazy("Ended on (YYYY-MM-DD)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    reach = forms.IntegerField(label=gettext_lazy("Reach (how many are served)"), required=False, min_value=0)
    reach_unit = forms.ChoiceField(label=gettext_lazy("Reach counts"), required=False)
    reach_as_of = forms.DateField(label=gettext_lazy("Reach as of (YYYY-MM-DD)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    implementers = forms.CharField(label=gettext_lazy("Implementers and vendors, one a line (a registered "
                                                      "organisation's identifier, or a name)"),
                                   required=False, widget=forms.Textarea(attrs={"rows": 3}))
    funders = forms.CharField(label=gettext_lazy("Funders, one a line (identifier or name)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    evidence_urls = forms.CharField(label=gettext_lazy("Evidence links, one a line (https://...)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=5000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _blank([(o.slug, o.name) for o in
                                                organisation_list(viewer=None).only("slug", "name")[:2000]])
        self.fields["layer"].choices = _blank(DpiLayer.choices)
        self.fields["sector"].choices = _blank(Sector.choices)
        self.fields["stage"].choices = _blank(Stage.choices)
        self.fields["reach_unit"].choices = _blank(ReachUnit.choices)
        if editing:
            del self.fields["good"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _partners(text: str) -> list:
    """Each line: a registered organisation's identifier (slug), or else a name as given."""
    lines = _lines(text)
    registered = {o.slug: o for o in Organisation.objects.filter(slug__in=lines)}
    return [registered.get(line, line) for line in lines]


def _service_fields(data: dict) -> dict:
    agency = Organisation.objects.filter(slug=data["agency"]).first() if data["agency"] else None
    fields = {name: data[name] for name in ("country", "agency_name", "layer", "sector", "stage", "scope",
                                            "started_on", "ended_on", "reach", "reach_unit", "reach_as_of", "notes")}
    fields.update(agency=agency, evidence_urls=_lines(data["evidence_urls"]),
                  implementers=_partners(data["implementers"]), funders=_partners(data["funders"]))
    return fields


def _partner_text(deployment: Deployment, role: str) -> str:
    return "\n".join(p.organisation.slug if p.organisation_id else p.name
                     for p in deployment.partners.all() if p.role == role)


def _form_error(form: DeploymentForm, exc: DeploymentsError) -> None:
    field = (exc.field or "").split(".")[0]
    visible = field in form.fields and not form.fields[field].widget.is_hidden
    form.add_error(field if visible else None, exc.message)


@login_required
def deployment_new(request: HttpRequest) -> HttpResponse:
    """Record a claim: any signed-in person may; the deploying agency's members confirm it."""
    if not _may(request, "record_deployment"):
        raise PermissionDenied(_("Sign in to record a deployment."))
    if request.method == "POST":
        form = DeploymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                good = good_get(slug=data["good"].strip())
            except GoodNotFound:
                form.add_error("good", _("No registered good “%(slug)s”.") % {"slug": data["good"]})
            else:
                try:
                    deployment = deployment_record(actor=Actor.person(request.user), good=good,
                                                   **_service_fields(data))
                except (InvalidInput, Conflict) as exc:
                    _form_error(form, exc)
                else:
                    messages.success(request, _("The deployment is recorded. It shows as a claim until a member "
                                                "of the deploying agency confirms it."))
                    return redirect("web:deployment", deployment_id=deployment.pk)
    else:
        form = DeploymentForm(initial={"good": request.GET.get("good", ""), "country": request.GET.get("country", "")})
    return render(request, "web/deployment_form.html", {"form": form, "editing": False, "nav": "countries"},
                  status=400 if form.errors else 200)


@login_required
def deployment_edit(request: HttpRequest, deployment_id: int) -> HttpResponse:
    deployment = deployment_get(viewer=request.user, deployment_id=deployment_id)
    if not _may(request, "change_deployment", deployment):
        raise PermissionDenied(_("Only the person who recorded it, the deploying agency's members or the "
                                 "secretariat may change a deployment."))
    if request.method == "POST":
        form = DeploymentForm(request.POST, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                deployment_update(actor=Actor.person(request.user), deployment=deployment,
                                  version=data["version"] if data["version"] is not None else -1,
                                  **_service_fields(data))
            except (InvalidInput, Conflict) as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The deployment is changed."))
                return redirect("web:deployment", deployment_id=deployment.pk)
    else:
        initial = {name: getattr(deployment, name) for name in (
            "country", "agency_name", "layer", "sector", "stage", "scope", "started_on", "ended_on", "reach",
            "reach_unit", "reach_as_of", "notes", "version")}
        initial.update(agency=deployment.agency.slug if deployment.agency_id else "",
                       evidence_urls="\n".join(deployment.evidence_urls),
                       implementers=_partner_text(deployment, PartnerRole.IMPLEMENTER),
                       funders=_partner_text(deployment, PartnerRole.FUNDER))
        form = DeploymentForm(initial=initial, editing=True)
    return render(request, "web/deployment_form.html", {
        "form": form, "editing": True, "d": deployment, "nav": "countries",
        "was_verified": deployment.verification == VerificationState.VERIFIED,
    }, status=400 if form.errors else 200)


# -- implementers --------------------------------------------------------------------------------------

def implementers_page(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    entries = implementer_directory(viewer=request.user, country=filters.country,
                                    good=filters.good.slug if filters.good else "")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{**entry, "country_labels": [(c, _country(c, request)) for c in entry["countries"]]}
            for entry in page.object_list]
    query = filters.query()
    return render(request, "web/implementers.html", {
        "filters": filters, "page": page, "rows": rows, "query": query,
        "goods": _goods_with_deployments(filters.good), "nav": "countries",
        "json_url": reverse("api-v1:implementers_list") + (f"?{query}" if query else ""),
    })
