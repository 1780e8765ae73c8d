"""The overview page: the system at a glance and the full resource inventory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archkit.docs.markdown import code, codes, join_blocks, key_values, table, text
from archkit.docs.views.base import PageContext, ViewPage, section
from archkit.spec.inventory import resources
from archkit.spec.naming import cost_tags

if TYPE_CHECKING:
    from archkit.spec import ArchSpec

# Spec path prefix -> the page (and whether the page has an anchor per resource) documenting it.
_PAGE_OF: tuple[tuple[str, str, bool], ...] = (
    ("tables.", "dynamodb.md", True),
    ("buckets.", "s3.md", True),
    ("functions.", "lambda.md", False),
    ("layers.", "lambda.md", False),
    ("api", "api.md", False),
    ("security.", "security.md", False),
    ("secrets.", "security.md", False),
    ("edge.waf", "security.md", False),
    ("edge.", "network.md", False),
    ("network.", "network.md", False),
    ("rds", "network.md", False),
    ("cost.", "cost.md", False),
)


def page_of(spec_path: str) -> str | None:
    """Link target (page plus anchor where the page has one) documenting the resource at a spec path."""
    for prefix, page, anchored in _PAGE_OF:
        if spec_path.startswith(prefix):
            return f"{page}#{spec_path}" if anchored else page
    return None


def _summary(spec: ArchSpec) -> str:
    return key_values(
        [
            ("Project", code(spec.project)),
            ("Description", text(spec.description) or "—"),
            ("Owner", code(spec.owner)),
            ("Environment", code(spec.environment)),
            ("Other environments", codes(sorted(e for e in spec.environments if e != spec.environment))),
            ("Account", code(spec.account) if spec.account else "—"),
            ("Region", code(spec.region)),
            ("Availability zones", codes(spec.availability_zones)),
            ("Tags on every resource", codes(f"{k}={v}" for k, v in cost_tags(spec).items())),
        ]
    )


def _inventory(spec: ArchSpec) -> str:
    rows = []
    for res in resources(spec):
        target = page_of(res.path)
        path = f"[{code(res.path)}]({target})" if target else code(res.path)
        rows.append((path, code(res.type), code(res.name)))
    return table(["Spec path", "CloudFormation type", "Physical name"], rows)


def _counts(spec: ArchSpec) -> str:
    counts: dict[str, int] = {}
    for res in resources(spec):
        counts[res.type] = counts.get(res.type, 0) + 1
    return table(["CloudFormation type", "Count"], [(code(t), n) for t, n in sorted(counts.items())])


def body(spec: ArchSpec, ctx: PageContext) -> str:
    views = "\n".join(f"- [{title}]({file})" for file, title in VIEW_LINKS) + "\n"
    return join_blocks(
        *[
            section("System", _summary(spec)),
            section("Views", views),
            section(
                "Resource inventory",
                f"Every resource the spec declares ({len(resources(spec))} in all): its spec path (also the "
                f"value of its `archkit:id` tag), CloudFormation type and physical name.",
                _inventory(spec),
                section("By type", _counts(spec), level=3),
            ),
        ]
    )


VIEW_LINKS: tuple[tuple[str, str], ...] = (
    ("network.md", "Network"),
    ("lambda.md", "Lambda functions"),
    ("dynamodb.md", "DynamoDB"),
    ("s3.md", "S3 buckets"),
    ("api.md", "API Gateway"),
    ("security.md", "Security layers"),
    ("cost.md", "Cost optimisation"),
)

PAGE = ViewPage(
    file="index.md",
    title="Architecture overview",
    diagram_views=("overview",),
    intro="The whole system as the spec declares it: edge, API, VPC, compute and data.",
    body=body,
)
