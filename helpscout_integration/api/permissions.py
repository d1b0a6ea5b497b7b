"""DRF permissions of the staff API: the same model permissions the admin asks for.

`is_staff` alone opens the admin's door but no page in it; the staff API must not be a
way around that. Reads need the model's `view_` (or `change_`) permission, like a
read-only ModelAdmin; writes need the action permission the admin's action views check
(`actions.CONVERSATION_ACTIONS`). A refusal is a 403 whose message names the missing
permission, never the data behind it.
"""

from __future__ import annotations

from django.db.models import Model
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

APP = "helpscout_integration"


def codename(action: str, model: type[Model]) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can_view(user, model: type[Model]) -> bool:
    """What Django's admin calls `has_view_permission`: view or change."""
    return user.has_perm(codename("view", model)) or user.has_perm(codename("change", model))


def require_view(user, model: type[Model], what: str) -> None:
    """Raise a 403 naming the permission when `user` may not view `model` rows."""
    if not can_view(user, model):
        raise PermissionDenied(
            f"Reading {what} needs the permission {codename('view', model)!r} "
            "(the same one the admin asks for)."
        )


class StaffModelPermissions(permissions.BasePermission):
    """Active staff with the view's model permissions (see the module docstring).

    A view names its model by `queryset` or `permission_model`; unsafe methods need the
    permission in `write_permissions[view.action]` (a codename of this app, as the
    admin's actions use), else the model's `change_` permission.
    """

    message = "The staff API is for active staff users."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        model = getattr(view, "permission_model", None) or view.get_queryset().model
        require_view(user, model, f"{model._meta.verbose_name_plural}")
        if request.method in permissions.SAFE_METHODS:
            return True
        needed = getattr(view, "write_permissions", {}).get(getattr(view, "action", None))
        perm = f"{APP}.{needed}" if needed else codename("change", model)
        if not user.has_perm(perm):
            raise PermissionDenied(f"This action needs the permission {perm!r}.")
        return True
