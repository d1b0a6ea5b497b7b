"""Create (or reset) the demo's staff user and end-user customer: demo use only.

The staff user shares its email with the sandbox's demo agent Ana, so admin replies are
sent as her; the end user takes the email of a mirrored customer who has conversations,
so the end-user pages have something to show (name included, as Beacon identifies them).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Count

from helpscout_integration.models import Customer

STAFF_EMAIL = "ana@example.com"  # the sandbox demo seed's first agent
FALLBACK_CUSTOMER_EMAIL = "customer@example.com"


def demo_customer() -> Customer | None:
    return (
        Customer.objects.exclude(email="")
        .annotate(n=Count("conversations"))
        .filter(n__gt=0)
        .order_by("-n", "id")
        .first()
    )


class Command(BaseCommand):
    help = "Create the demo staff user and demo customer with the given passwords."

    def add_arguments(self, parser):
        parser.add_argument("staff_username")
        parser.add_argument("staff_password")
        parser.add_argument("customer_username")
        parser.add_argument("customer_password")

    def handle(self, staff_username, staff_password, customer_username, customer_password, **kw):
        User = get_user_model()
        staff, _ = User.objects.get_or_create(
            username=staff_username,
            defaults={"first_name": "Ana", "last_name": "Agent"},
        )
        staff.email = STAFF_EMAIL
        staff.is_staff = staff.is_superuser = True
        staff.set_password(staff_password)
        staff.save()
        customer, _ = User.objects.get_or_create(
            username=customer_username,
            defaults={"first_name": "Casey", "last_name": "Lee"},
        )
        mirrored = demo_customer()
        if mirrored is not None:  # the end user is that Help Scout customer
            customer.email = mirrored.email
            customer.first_name = mirrored.first_name or customer.first_name
            customer.last_name = mirrored.last_name or customer.last_name
        else:
            customer.email = FALLBACK_CUSTOMER_EMAIL
        customer.set_password(customer_password)
        customer.save()
        self.stdout.write(
            f"demo users ready: {staff_username} <{staff.email}> (staff), "
            f"{customer_username} <{customer.email}>"
        )
