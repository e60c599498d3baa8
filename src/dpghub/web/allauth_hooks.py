"""django-allauth's hooks for the web pages (settings.ACCOUNT_ADAPTER, ACCOUNT_SIGNUP_FORM_CLASS)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dpghub.accounts.services import person_profile_set
from dpghub.web.client import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # One rule for every rate limit: the address DPGHUB_TRUSTED_PROXIES says to trust.
        return client_address(request)

    def is_open_for_signup(self, request) -> bool:
        return settings.DPGHUB_SIGNUP_OPEN


class SignupForm(forms.Form):
    """The fields DPG Hub adds to allauth's sign-up form (which asks for the e-mail and password)."""

    name = forms.CharField(label=_("Name"), max_length=150, required=False,
                           help_text=_("How you are shown to others. You can leave it empty."),
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def signup(self, request, user) -> None:
        person_profile_set(actor=user, display_name=self.cleaned_data.get("name", ""))
