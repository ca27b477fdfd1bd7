"""Messages that reach the pages as values, marked here so `pybabel extract` finds them.

Templates translate these with `_(value)` at render time; the extractor cannot see such
dynamic calls, so without this list a regenerated catalog would drop their translations.
"""

from __future__ import annotations

from precx.kit.i18n import _

# Organisation kinds (OrgKind values), shown through `_(kind)`.
ORG_KINDS = (
    _("licensing_authority"),
    _("law_enforcement"),
    _("customs"),
    _("industry"),
    _("logistics"),
    _("international"),
    _("platform"),
)

# Roles (Role values).
ROLES = (
    _("admin"),
    _("analyst"),
    _("reporter"),
    _("viewer"),
)

# Organisation statuses not written literally in a template.
STATUSES = (
    _("pending"),
    _("suspended"),
)

# OSCE statuses of countries (catalog), shown through `_(status)`.
OSCE_STATUSES = (
    _("participating_state"),
    _("asian_partner"),
    _("mediterranean_partner"),
)

# Titles of problem documents and error pages (kit.problems, app.py).
ERROR_TITLES = (
    _("Not found"),
    _("Forbidden"),
    _("Not authenticated"),
    _("Invalid input"),
    _("Conflict"),
    _("Too many requests"),
    _("Internal error"),
    _("Method not allowed"),
    _("Bad request"),
    _("Login required"),
    _("Error"),
    _("There is nothing at this address."),
)

# Messages built in Python and translated when the page shows them.
MESSAGES = (
    _("Something went wrong on our side. It has been logged; please try again."),
    _("Please log in."),
    _("The form has expired or did not come from this site. Reload the page and try again."),
    _("The form was sent from another site."),
    _("Wrong e-mail or password."),
    _("Too many failed logins. Try again in a few minutes."),
    _("That code is not right."),
    _("The two passwords differ."),
    _("You are logged out."),
    _("Your login has expired. Please log in again."),
    _("The two new passwords differ."),
    _("Your password has been changed."),
    _("The token has been revoked."),
    _("The setup took too long. Scan the new code."),
    _("Two-factor login is on."),
    _("Two-factor login is off."),
    _("Give a valid e-mail address and a name."),
    _("The two-factor policy has been saved."),
    _("Your password is set. You can log in now."),
    _("The sharing group has been created."),
    _("The organisation has been added."),
    _("The organisation has been removed."),
    _("The bulletin has been posted."),
)

# Severities of red flags (screening.rules.Severity), shown through `_(severity)`.
SEVERITIES = (_("low"), _("medium"), _("high"), _("critical"))

# The optional columns of an order, as the screening page labels them.
ORDER_FIELDS = {
    "customer_address": _("Customer address"),
    "customer_business": _("Customer business"),
    "customer_since": _("Customer since"),
    "customer_licence_number": _("Customer licence number"),
    "customer_registration_number": _("Customer registration number"),
    "customer_email": _("Customer e-mail"),
    "customer_phone": _("Customer phone"),
    "concentration_percent": _("Concentration, per cent"),
    "packaging": _("Packaging"),
    "payment_method": _("Payment method"),
    "delivery_type": _("Delivery type"),
    "delivery_address": _("Delivery address"),
    "delivery_country": _("Delivery country"),
    "transit_countries": _("Transit countries"),
    "declared_end_use": _("Declared end use"),
}

# The codes of an order's payment and delivery, in words.
ORDER_CODES = {
    "invoice": _("invoice"),
    "bank_transfer": _("bank transfer"),
    "card": _("card"),
    "cash": _("cash"),
    "third_party": _("third party"),
    "crypto": _("crypto"),
    "customer_premises": _("customer premises"),
    "freight_forwarder": _("freight forwarder"),
    "po_box": _("po box"),
    "collection": _("collection"),
    "residential": _("residential"),
}

# Answers of a licence verification (licensing.schemas.VerificationStatus) not written elsewhere.
VERIFICATION_STATUSES = (_("valid"), _("not_covered"), _("not_found"))

# What customs record of a consignment (notifications.schemas.CustomsKind), as the timeline
# shows them through `_(kind.replace("_", " "))`.
CUSTOMS_EVENTS = (
    _("dispatched"),
    _("released at exit"),
    _("in transit"),
    _("arrived"),
    _("released at entry"),
    _("stopped"),
    _("seized"),
)
