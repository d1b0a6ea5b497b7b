"""Fixtures for admin tests: mirror rows built directly, a conversation mirrored from the
sandbox, and staff users with chosen permissions."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from helpscout_integration.admin.operations import refresh_conversation
from helpscout_integration.client import HelpScoutClient
from helpscout_integration.models import Agent, Conversation, Customer, Mailbox, Tag, Thread
from helpscout_integration.sync.upsert import upsert_agents

_ids = itertools.count(10_000)
BASE_TIME = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def mirror():
    """A small mirror: one mailbox, agent, customer, tag and a factory for conversations."""

    class Mirror:
        mailbox = Mailbox.objects.create(id=1, name="Support", email="support@example.com")
        agent = Agent.objects.create(
            id=7, first_name="Ada", last_name="Agent", email="ada@example.com"
        )
        customer = Customer.objects.create(
            id=55, first_name="Cleo", last_name="Customer", email="cleo@example.com",
            properties={"plan": "Pro", "seats": 3},
        )  # fmt: skip
        tag = Tag.objects.create(id=3, name="billing", slug="billing", color="#ff0000")

        def conversation(self, *, threads=(), tags=(), offset_minutes=0, **fields):
            cid = fields.pop("id", next(_ids))
            when = BASE_TIME + dt.timedelta(minutes=offset_minutes)
            defaults = dict(
                number=cid, subject=f"Subject {cid}", status="active", mailbox=self.mailbox,
                customer=self.customer, assignee=self.agent, created_at=when, updated_at=when,
            )  # fmt: skip
            defaults.update(fields)
            conv = Conversation.objects.create(id=cid, **defaults)
            conv.tags.set(tags or [self.tag])
            for i, thread in enumerate(threads):
                Thread.objects.create(
                    id=next(_ids), conversation=conv, created_at=when + dt.timedelta(seconds=i),
                    **thread,
                )  # fmt: skip
            return conv

    return Mirror()


@pytest.fixture
def staff_user(django_user_model):
    """Factory: a staff user holding exactly the given permission codenames of this app."""

    def make(*codenames, email="staff@example.com", username=None):
        user = django_user_model.objects.create_user(
            username=username or f"staff{next(_ids)}", password="pw", email=email, is_staff=True
        )
        perms = Permission.objects.filter(
            content_type__app_label="helpscout_integration", codename__in=codenames
        )
        assert perms.count() == len(codenames), codenames
        user.user_permissions.add(*perms)
        return user

    return make


@pytest.fixture
def sandbox_conversation(helpscout_sandbox):
    """Factory: on the sandbox, agent Ada (ada@example.com) and a conversation from
    cleo@example.com with the given subject, both mirrored through the API client; returns
    the sandbox with the conversation's id as `.cid`."""

    def make(subject):
        sb = helpscout_sandbox
        sb.create_user(first_name="Ada", last_name="Agent", email="ada@example.com")
        made = sb.create_conversation(customer_email="cleo@example.com", subject=subject)
        with HelpScoutClient.from_settings() as client:
            upsert_agents(list(client.users.list()))
            refresh_conversation(client, made["id"])
        sb.cid = made["id"]
        return sb

    return make


@pytest.fixture
def logged_in_staff(staff_user):
    """Factory: a test client logged in as a new staff user with the given permissions."""

    def make(*codenames, email="staff@example.com"):
        client = Client()
        client.force_login(staff_user(*codenames, email=email))
        return client

    return make


def now():
    return timezone.now()
