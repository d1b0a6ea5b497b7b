"""The admin honours the customer view permission like the staff API does.

A staff user may hold `view_conversation` without `view_customer`: the staff API then
answers 403 for customer emails (`api/permissions.py`), and the admin must not show them
either. Without the permission the conversation and rating pages leave out the customer's
name and email (column, field, thread authors, raw payload), properties, other
conversations, the App sidebar preview, search by customer fields and customer filters,
and say what is hidden and why. Decides visibility only; never queries customer rows.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..api.permissions import can_view, codename
from ..models import Customer


def can_view_customers(user) -> bool:
    """`view_customer` (or `change_customer`), as the Customer admin and staff API ask."""
    return can_view(user, Customer)


def hidden_reason() -> str:
    """What the pages say instead of the customer (names the missing permission)."""
    return _(
        "Customer details are hidden: the customer's name, email, properties and other "
        "conversations, search by customer and customer filters need the permission "
        "%(permission)s, which your account does not have (the staff API asks for the same)."
    ) % {"permission": f"“{codename('view', Customer)}”"}


def _about_customer(name: str) -> bool:
    return name == "customer" or name.startswith(("customer__", "customer_"))


def _filter_name(spec) -> str:
    if isinstance(spec, tuple | list):
        spec = spec[0]
    if isinstance(spec, str):
        return spec
    return getattr(spec, "parameter_name", "") or getattr(spec, "field_path", "")


class CustomerFieldsNeedPermission:
    """ModelAdmin mixin: columns, fields, search and filters about the customer appear only
    for staff who may view customers. `customer_columns`: list_display names that show
    the customer; `customer_fields`: change-page fields that do (the raw payload too)."""

    customer_columns: tuple[str, ...] = ("customer", "customer_display")
    customer_fields: tuple[str, ...] = ("customer", "data")

    def get_list_display(self, request):
        columns = super().get_list_display(request)  # type: ignore[misc]
        if can_view_customers(request.user):
            return columns
        return tuple(c for c in columns if c not in self.customer_columns)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if can_view_customers(request.user):
            return filters
        return tuple(f for f in filters if not _about_customer(_filter_name(f)))

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)  # type: ignore[misc]
        if can_view_customers(request.user):
            return fields
        return tuple(f for f in fields if not _about_customer(f))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if can_view_customers(request.user):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in self.customer_fields],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        if can_view_customers(request.user):
            return fields
        return [f for f in fields if f not in self.customer_fields]

    def changelist_view(self, request, extra_context=None):
        if not can_view_customers(request.user):
            extra_context = {**(extra_context or {}), "customer_hidden": hidden_reason()}
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


__all__ = [
    "CustomerFieldsNeedPermission",
    "can_view_customers",
    "hidden_reason",
]
