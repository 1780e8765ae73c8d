"""ACM certificates."""

from __future__ import annotations

from typing import Any

from archkit.emulate.registry import Created, ResourceContext, handler


@handler("AWS::CertificateManager::Certificate")
def certificate(ctx: ResourceContext, p: dict[str, Any]) -> Created:
    kwargs: dict[str, Any] = {
        "DomainName": p["DomainName"],
        "ValidationMethod": p.get("ValidationMethod", "DNS"),
    }
    if p.get("SubjectAlternativeNames"):
        kwargs["SubjectAlternativeNames"] = p["SubjectAlternativeNames"]
    if "KeyAlgorithm" in p:
        kwargs["KeyAlgorithm"] = p["KeyAlgorithm"]
    if ctx.tags(p):
        kwargs["Tags"] = ctx.tags(p)
    # DomainValidationOptions.HostedZoneId is CloudFormation's own: it writes the validation record there.
    arn = ctx.client("acm").request_certificate(**kwargs)["CertificateArn"]
    return Created(arn)
