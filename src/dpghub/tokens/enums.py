"""Vocabularies of API tokens."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dpghub.common.history import WRITE_SCOPE, history_vocabulary


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = WRITE_SCOPE, _("Read and write")


@history_vocabulary
class TokensAction(models.TextChoices):
    TOKEN_CREATE = "tokens.token.create", _("API token created")
    TOKEN_REVOKE = "tokens.token.revoke", _("API token revoked")
