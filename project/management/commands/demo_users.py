"""Create (or reset) the demo's staff user and end-user customer: demo use only."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


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
            defaults={"email": "staff@example.com", "first_name": "Sam", "last_name": "Staff"},
        )
        staff.is_staff = staff.is_superuser = True
        staff.set_password(staff_password)
        staff.save()
        customer, _ = User.objects.get_or_create(
            username=customer_username,
            defaults={"email": "customer@example.com", "first_name": "Casey", "last_name": "Lee"},
        )
        customer.set_password(customer_password)
        customer.save()
        self.stdout.write(f"demo users ready: {staff_username} (staff), {customer_username}")
