"""People's pages: sign-in (allauth's, rate-limited), the account page, data export and account deletion.

Sign-up, e-mail verification, password reset and change, e-mail change and two-factor authentication
are django-allauth's views under /accounts/ (config/urls.py), shown with this site's templates
(templates/account, templates/mfa, templates/allauth).
"""

from __future__ import annotations

import json
from typing import ClassVar

from allauth.account import views as allauth_views
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from dpghub.accounts.enums import PlatformRole
from dpghub.accounts.selectors import (
    person_display_name,
    person_has_totp,
    person_mfa_required,
    person_platform_roles,
)
from dpghub.accounts.services import person_delete, person_export
from dpghub.common.ratelimit import ratelimit_hit
from dpghub.web.client import client_address


class LoginView(allauth_views.LoginView):
    """allauth's sign-in, with attempts also limited per client address (DPGHUB_LOGIN_RATE) across processes."""

    extra_context: ClassVar[dict] = {"nav": "login"}

    def post(self, request, *args, **kwargs):
        decision = ratelimit_hit(scope="login", key=client_address(request), rate=settings.DPGHUB_LOGIN_RATE)
        if not decision.allowed:
            # An unbound form: validating it would authenticate, which is exactly what is refused here.
            form = self.get_form_class()(request=request, initial={"login": request.POST.get("login", "")})
            context = self.get_context_data(form=form, rate_limited=True, retry_after=decision.retry_after)
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(decision.retry_after)
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(allauth_views.LogoutView):
    """Sign-out is a POST (CSRF-protected); a GET shows a page with the button."""


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = person_platform_roles(user)
    context = {
        "nav": "account",
        "display_name": person_display_name(user),
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "roles": [PlatformRole(role).label for role in PlatformRole if role in roles],
        "has_totp": person_has_totp(user),
        "mfa_required": person_mfa_required(user),
    }
    return render(request, "web/account.html", context)


@never_cache
@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    """Everything DPG Hub holds about the signed-in person, as a JSON download."""
    data = person_export(actor=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="dpghub-my-data.json"'
    return response


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=gettext_lazy("I understand that my account and my personal data are "
                                                    "deleted for good."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password


@sensitive_post_parameters("password")
@never_cache
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the signed-in person's account, once they have typed their password again."""
    user = request.user
    status = 200
    retry_after = 0
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=user)
        decision = ratelimit_hit(scope="account-delete", key=str(user.pk), rate=settings.DPGHUB_LOGIN_RATE)
        if not decision.allowed:
            form = DeleteAccountForm(user=user)
            status, retry_after = 429, decision.retry_after
        elif form.is_valid():
            person_delete(actor=user)
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("web:goods-list")
        else:
            status = 400
    else:
        form = DeleteAccountForm(user=user)
    response = render(request, "web/account_delete.html",
                      {"nav": "account", "form": form, "has_password": user.has_usable_password(),
                       "retry_after": retry_after}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
