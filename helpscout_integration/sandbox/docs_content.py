"""What the demo seed's Docs articles say: for each title, a lead paragraph, the steps or
facts of its body section, and the titles of the articles it links to.

Plain data, so that the demo's Help Center, Beacon suggestions and Docs search read like
a product's real help articles (and a search for "invoice" or "password" finds the
article a person would expect). `seed` turns it into HTML; nothing here knows the store.
"""

from __future__ import annotations

from typing import NamedTuple


class ArticleContent(NamedTuple):
    lead: str
    heading: str
    points: tuple[str, ...]
    related: tuple[str, ...]


A = ArticleContent

ARTICLES: dict[str, ArticleContent] = {
    # -- Help Center / Getting started
    "Create your account": A(
        "Sign up with your work email and you will have a workspace in a couple of minutes.",
        "Steps",
        (
            "Go to the sign-up page and enter your work email address.",
            "Open the confirmation email and click Verify my address.",
            "Name your workspace; you can rename it later under Settings.",
        ),
        ("Invite your team", "Choose a plan"),
    ),
    "Invite your team": A(
        "Teammates you invite share your mailboxes, and each gets their own login.",
        "Steps",
        (
            "Open Settings, then Users, and click Invite users.",
            "Enter one email address per line and pick a role for each person.",
            "Invitations expire after seven days; resend them from the same page.",
        ),
        ("Create your account", "Single sign-on"),
    ),
    "Set up your mailbox": A(
        "A mailbox collects the email your customers send to one of your addresses.",
        "Steps",
        (
            "Open Settings, then Mailboxes, and click New mailbox.",
            "Forward your support address to the mailbox's forwarding address.",
            "Send a test email and check that it appears within a minute.",
        ),
        ("Emails not arriving", "Custom fields"),
    ),
    "Import existing data": A(
        "Bring your past conversations and contacts with you when you switch tools.",
        "What you can import",
        (
            "Contacts from a CSV file with one row per customer.",
            "Conversations from another help desk through our import service.",
            "Imports run in the background; we email you when one has finished.",
        ),
        ("Data export", "Set up your mailbox"),
    ),
    "Choose a plan": A(
        "Every plan includes unlimited mailboxes; they differ in users and automation.",
        "Plans at a glance",
        (
            "Free: up to three users and one mailbox.",
            "Basic: up to 25 users, saved replies and reports.",
            "Pro: unlimited users, workflows, single sign-on and an uptime SLA.",
        ),
        ("Change your plan", "Uptime and SLA"),
    ),
    "Mobile apps": A(
        "Reply to customers from your phone with the iOS and Android apps.",
        "Getting the apps",
        (
            "Install the app from the App Store or Google Play.",
            "Sign in with the same email and password as on the web.",
            "Turn on notifications to hear about new conversations at once.",
        ),
        ("Two-factor authentication", "Keyboard shortcuts"),
    ),
    "Keyboard shortcuts": A(
        "Work through your queue without reaching for the mouse.",
        "Most used shortcuts",
        (
            "R replies, N adds a note and A assigns the conversation.",
            "J and K move to the next and previous conversation.",
            "Press ? anywhere to see the full list.",
        ),
        ("Mobile apps", "Slow pages"),
    ),
    # -- Help Center / Billing
    "Update your card": A(
        "Change the card we charge before your next invoice is due.",
        "Steps",
        (
            "Open Settings, then Billing, and click Update card.",
            "Enter the new card; we check it with a zero-amount authorisation.",
            "The old card is removed once the new one is accepted.",
        ),
        ("Download invoices", "Taxes and VAT"),
    ),
    "Download invoices": A(
        "Every invoice is kept as a PDF you can download at any time.",
        "Steps",
        (
            "Open Settings, then Billing, then Invoice history.",
            "Click an invoice to download its PDF.",
            "Add a billing email there to receive each invoice by email too.",
        ),
        ("Taxes and VAT", "Update your card"),
    ),
    "Change your plan": A(
        "Upgrade or downgrade whenever you like; we prorate the difference.",
        "Steps",
        (
            "Open Settings, then Billing, and click Change plan.",
            "Pick the plan and the billing period, then confirm.",
            "An upgrade applies at once; a downgrade at the end of the period.",
        ),
        ("Choose a plan", "Request a refund"),
    ),
    "Request a refund": A(
        "We refund annual plans within 30 days of payment, no questions asked.",
        "How refunds work",
        (
            "Write to us from your account's email address and name the invoice.",
            "Refunds go back to the card that paid, within five to ten business days.",
            "Monthly plans are not refunded; cancel to stop the next charge.",
        ),
        ("Cancel your subscription", "Download invoices"),
    ),
    "Taxes and VAT": A(
        "Invoices show sales tax or VAT according to your billing address.",
        "Adding your VAT number",
        (
            "Open Settings, then Billing, and enter your VAT number.",
            "With a valid EU VAT number, invoices apply the reverse charge.",
            "Past invoices are not reissued when the number changes.",
        ),
        ("Download invoices", "Update your card"),
    ),
    "Cancel your subscription": A(
        "You can cancel at any time; your account stays open until the period ends.",
        "Steps",
        (
            "Open Settings, then Billing, and click Cancel subscription.",
            "Tell us why if you like; it helps us improve.",
            "Export your data first: a closed account is deleted after 90 days.",
        ),
        ("Data export", "Request a refund"),
    ),
    # -- Help Center / Troubleshooting
    "Reset your password": A(
        "Forgot your password? Set a new one from the sign-in page.",
        "Steps",
        (
            "Click Forgot password on the sign-in page and enter your email.",
            "Open the reset email within one hour and choose a new password.",
            "Every other session is signed out when the password changes.",
        ),
        ("Two-factor authentication", "Single sign-on"),
    ),
    "Two-factor authentication": A(
        "A second step at sign-in keeps your account safe if your password leaks.",
        "Turning it on",
        (
            "Open Your profile, then Security, and click Enable two-factor.",
            "Scan the code with an authenticator app and enter the six digits.",
            "Keep the recovery codes somewhere safe: each works once.",
        ),
        ("Reset your password", "Security overview"),
    ),
    "Browser support": A(
        "The app works in the current and previous versions of the major browsers.",
        "Supported browsers",
        (
            "Chrome, Firefox, Safari and Edge, on desktop and mobile.",
            "Cookies and JavaScript must be enabled.",
            "Extensions that rewrite pages can break the editor; try a private window.",
        ),
        ("Slow pages", "Error messages explained"),
    ),
    "Emails not arriving": A(
        "If customer emails do not show up, the forwarding is usually the cause.",
        "What to check",
        (
            "Send a test to your support address and look for it in the mailbox.",
            "Check that forwarding is on and points at the mailbox's address.",
            "Look in your email provider's spam folder for the confirmation.",
        ),
        ("Set up your mailbox", "Status page"),
    ),
    "Sync problems": A(
        "Integrations sync every few minutes; a paused sync shows a warning banner.",
        "What to check",
        (
            "Open Settings, then Integrations, and look for a red status.",
            "Reconnect the integration if its access was revoked.",
            "Large first syncs can take an hour; later ones are incremental.",
        ),
        ("Calendar sync", "Salesforce"),
    ),
    "Slow pages": A(
        "Pages should load in under two seconds; here is what to try when they do not.",
        "What to try",
        (
            "Check the status page for an ongoing incident.",
            "Reload without extensions, or in a private window.",
            "Send us the time and the page address so we can trace the request.",
        ),
        ("Status page", "Browser support"),
    ),
    "Error messages explained": A(
        "What the most common error messages mean and how to get past them.",
        "Common messages",
        (
            "Session expired: sign in again; sessions end after 14 days.",
            "You do not have access: ask an administrator for the right role.",
            "Something went wrong: retry; if it persists, contact us with the time.",
        ),
        ("Error codes", "Browser support"),
    ),
    # -- Developers / API
    "Authentication": A(
        "The API uses OAuth 2.0 with the client credentials flow.",
        "Getting a token",
        (
            "Create an app under Your profile, then My apps.",
            "Exchange its id and secret for a token at the token endpoint.",
            "Tokens last two days; request a new one when a call answers 401.",
        ),
        ("Rate limits", "Error codes"),
    ),
    "Rate limits": A(
        "Each account may make 200 requests a minute; writes count double.",
        "Staying under the limit",
        (
            "Watch the rate-limit headers every response carries.",
            "On 429, wait the number of seconds in Retry-After and try again.",
            "Use webhooks instead of polling for changes.",
        ),
        ("Webhooks", "Pagination"),
    ),
    "Pagination": A(
        "Lists come in pages of 50 with links to the next and previous pages.",
        "Reading every page",
        (
            "Follow the next link until a page has none.",
            "Filter with modifiedSince to read only what changed.",
            "Keep the page size; it cannot be raised.",
        ),
        ("Rate limits", "Authentication"),
    ),
    "Webhooks": A(
        "Webhooks tell your server about changes as they happen.",
        "Receiving webhooks",
        (
            "Register a URL and a secret under Your profile, then Webhooks.",
            "Check each delivery's signature with your secret before trusting it.",
            "Answer 200 quickly; failed deliveries are retried with backoff.",
        ),
        ("Error codes", "Rate limits"),
    ),
    "Error codes": A(
        "Errors come as JSON with a message and, for validation, the fields at fault.",
        "Status codes",
        (
            "400: the request is invalid; the body lists each rejected field.",
            "401: the token is missing or expired; 403: it lacks access.",
            "404: nothing at that address; 429: slow down; 5xx: retry later.",
        ),
        ("Error messages explained", "Authentication"),
    ),
    "SDKs and libraries": A(
        "Official and community libraries wrap the API for your language.",
        "Libraries",
        (
            "PHP: the official SDK, maintained by our team.",
            "Python and Node: community clients listed on our developer site.",
            "Any HTTP client works: the API is plain JSON over HTTPS.",
        ),
        ("Authentication", "Changelog"),
    ),
    "Changelog": A(
        "Every change to the API is announced here before it ships.",
        "How we change the API",
        (
            "New fields and endpoints are added without notice periods.",
            "Removals are announced at least six months ahead.",
            "Subscribe to the changelog feed to hear about both.",
        ),
        ("SDKs and libraries", "Roadmap"),
    ),
    # -- Developers / Integrations
    "Slack": A(
        "Get a Slack message for new conversations and reply from the thread.",
        "Steps",
        (
            "Open Settings, then Integrations, and click Connect Slack.",
            "Choose the channel and the mailboxes to post about.",
            "Replies in the Slack thread are added to the conversation as notes.",
        ),
        ("Zapier", "Sync problems"),
    ),
    "Salesforce": A(
        "See each customer's Salesforce account and opportunities beside the conversation.",
        "Steps",
        (
            "Open Settings, then Integrations, and click Connect Salesforce.",
            "Sign in with a Salesforce user who can read accounts and contacts.",
            "Customers are matched by email address.",
        ),
        ("Sync problems", "Custom fields"),
    ),
    "Zapier": A(
        "Connect thousands of apps without code through our Zapier triggers.",
        "Popular zaps",
        (
            "New conversation: create a task in your project tool.",
            "New customer: add them to your mailing list.",
            "Tag added: post a message to a chat channel.",
        ),
        ("Slack", "Webhooks"),
    ),
    "Calendar sync": A(
        "Show your team's out-of-office days from Google Calendar or Outlook.",
        "Steps",
        (
            "Open Your profile, then Calendar, and connect your calendar.",
            "All-day events marked out of office set you away.",
            "Conversations are not assigned to you while you are away.",
        ),
        ("Sync problems", "Invite your team"),
    ),
    "Single sign-on": A(
        "On the Pro plan your team signs in through your identity provider.",
        "Steps",
        (
            "Open Settings, then Security, and click Configure SSO.",
            "Enter your provider's SAML metadata URL and test the sign-in.",
            "Once enforced, passwords are no longer accepted.",
        ),
        ("Two-factor authentication", "Security overview"),
    ),
    "Data export": A(
        "Download your conversations, customers and reports whenever you need them.",
        "Steps",
        (
            "Open Settings, then Export, and choose what to include.",
            "We email you a link to a ZIP file of CSV and JSON files.",
            "Links expire after seven days; start a new export after that.",
        ),
        ("Import existing data", "Cancel your subscription"),
    ),
    "Custom fields": A(
        "Add fields such as an order number or a plan to every conversation.",
        "Steps",
        (
            "Open Settings, then Mailboxes, pick one, then Custom fields.",
            "Choose a type: single line, multi line, number, date or dropdown.",
            "Search and filter conversations by the field's value.",
        ),
        ("Set up your mailbox", "Salesforce"),
    ),
    "Audit log": A(
        "The audit log records who changed which setting, and when.",
        "What it records",
        (
            "Sign-ins, role changes and invitations.",
            "Changes to mailboxes, integrations and billing.",
            "Entries are kept for one year and can be exported.",
        ),
        ("Security overview", "Data export"),
    ),
    "Sandbox accounts": A(
        "Try integrations safely in a sandbox account that never emails customers.",
        "How sandboxes work",
        (
            "Create one from Settings, then Developer, then Sandboxes.",
            "A sandbox holds sample data and resets on request.",
            "Its API works like production, with its own credentials.",
        ),
        ("Authentication", "Webhooks"),
    ),
    "Status page": A(
        "Our status page shows current incidents and the last 90 days of uptime.",
        "Staying informed",
        (
            "Subscribe by email or RSS to hear about incidents.",
            "Each incident has updates until it is resolved.",
            "Post-incident reviews are published within a week.",
        ),
        ("Uptime and SLA", "Slow pages"),
    ),
    "Security overview": A(
        "How we keep your data safe, at rest and in transit.",
        "Our practices",
        (
            "Data is encrypted in transit with TLS and at rest with AES-256.",
            "Access to production is limited, logged and reviewed.",
            "We are audited yearly and share the report under NDA.",
        ),
        ("Two-factor authentication", "Audit log"),
    ),
    "Uptime and SLA": A(
        "Pro plans come with a 99.9% monthly uptime commitment.",
        "Service credits",
        (
            "Below 99.9% in a month, you receive a 10% credit.",
            "Below 99%, the credit is 25%.",
            "Ask for a credit within 30 days of the month's end.",
        ),
        ("Status page", "Choose a plan"),
    ),
    "Roadmap": A(
        "What we are building next, and how to tell us what you need.",
        "Sharing ideas",
        (
            "Vote on ideas on the public roadmap board.",
            "Planned items show a target quarter, never a promise of a date.",
            "Shipped items link to their changelog entry.",
        ),
        ("Changelog", "SDKs and libraries"),
    ),
}


def article_html(title: str, links: dict[str, str]) -> str:
    """The article's body; `links` maps each title to its public URL."""
    content = ARTICLES[title]
    listed = "ol" if content.heading == "Steps" else "ul"
    points = "".join(f"<li>{point}</li>" for point in content.points)
    related = "".join(f'<li><a href="{links[name]}">{name}</a></li>' for name in content.related)
    return (
        f"<p>{content.lead}</p>"
        f"<h2>{content.heading}</h2><{listed}>{points}</{listed}>"
        f"<h2>Related articles</h2><ul>{related}</ul>"
    )
