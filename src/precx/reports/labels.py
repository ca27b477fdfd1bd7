"""Values of reports that pages show through `_(value)`, marked so `pybabel extract` finds them."""

from __future__ import annotations

from precx.kit.i18n import _

KINDS = (
    _("suspicious_order"),
    _("suspicious_transaction"),
    _("loss_theft"),
    _("suspicious_consignment"),
)
STATUSES = (
    _("draft"),
    _("submitted"),
    _("acknowledged"),
    _("under_review"),
    _("referred"),
    _("closed"),
)
OUTCOMES = (
    _("no_further_action"),
    _("confirmed_legitimate"),
    _("intelligence_used"),
    _("investigation_opened"),
    _("shipment_stopped"),
    _("seizure"),
)
ACTIONS = (
    _("refused"),
    _("delayed"),
    _("supplied_under_observation"),
    _("supplied"),
    _("not_applicable"),
)
MESSAGE_KINDS = (_("request"), _("answer"), _("feedback"), _("note"))
FIELDS = (
    _("email"),
    _("phone"),
    _("website"),
    _("contact_person"),
    _("order_ref"),
    _("order_date"),
    _("consignment_ref"),
    _("payment_method"),
    _("delivery_type"),
    _("delivery_address"),
    _("delivery_country"),
    _("transit_countries"),
    _("transport"),
    _("incident_location"),
)
