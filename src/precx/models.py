"""Every feature's tables, imported in one place for Alembic and the mapper registry."""

from precx.accounts import models as accounts_models
from precx.audit import models as audit_models
from precx.bulletins import models as bulletins_models
from precx.catalog import models as catalog_models
from precx.db import Base
from precx.declarations import models as declarations_models
from precx.events import models as events_models
from precx.incidents import models as incidents_models
from precx.licensing import models as licensing_models
from precx.notifications import models as notifications_models
from precx.reports import models as reports_models
from precx.screening import models as screening_models
from precx.sharing import models as sharing_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "audit_models",
    "bulletins_models",
    "catalog_models",
    "declarations_models",
    "events_models",
    "incidents_models",
    "licensing_models",
    "metadata",
    "reports_models",
    "notifications_models",
    "screening_models",
    "sharing_models",
]
