"""One module per architecture page; `VIEW_PAGES` lists them in navigation order."""

from archkit.docs.views import api, compute, cost, dynamodb, network, overview, s3, security
from archkit.docs.views.base import DIAGRAM_DIR, PageContext, RuleInfo, ViewPage

VIEW_PAGES: tuple[ViewPage, ...] = (
    overview.PAGE,
    network.PAGE,
    compute.PAGE,
    dynamodb.PAGE,
    s3.PAGE,
    api.PAGE,
    security.PAGE,
    cost.PAGE,
)

__all__ = ["DIAGRAM_DIR", "VIEW_PAGES", "PageContext", "RuleInfo", "ViewPage"]
