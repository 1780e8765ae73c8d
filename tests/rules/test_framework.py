"""The rule framework: discovery, loud failures on duplicate ids, metadata, catalogue, light imports."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest
from tests.rules.conftest import ROOT

RULE_TEMPLATE = textwrap.dedent(
    """
    from archkit.verify.rules.base import rule, passed
    from archkit.verify.kinds.dynamodb_table import TableState

    @rule(id="{id}", title="Tables are fine in every way", severity="low", layer="data", enforces="Testing",
          applies_to=TableState, resource_type="AWS::DynamoDB::Table", remediation="Nothing to do here.")
    def check{n}(table, ctx):
        return passed()
    """
)


def _package(tmp_path: Path, name: str, modules: dict[str, str]) -> str:
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for module, text in modules.items():
        (pkg / f"{module}.py").write_text(text)
    return name


def test_duplicate_rule_id_fails_loudly_naming_both_modules(tmp_path, monkeypatch) -> None:
    from archkit.verify.rules.registry import RuleDefinitionError, discover

    monkeypatch.syspath_prepend(str(tmp_path))
    name = _package(
        tmp_path,
        "dupe_rules",
        {
            "first": RULE_TEMPLATE.format(id="ARCH-TST-001", n=""),
            "second": RULE_TEMPLATE.format(id="ARCH-TST-001", n=""),
        },
    )
    with pytest.raises(
        RuleDefinitionError,
        match=r"duplicate rule id ARCH-TST-001: defined in dupe_rules\.first and dupe_rules\.second",
    ):
        discover([name])


def test_a_module_must_define_exactly_one_rule(tmp_path, monkeypatch) -> None:
    from archkit.verify.rules.registry import RuleDefinitionError, discover

    monkeypatch.syspath_prepend(str(tmp_path))
    two = RULE_TEMPLATE.format(id="ARCH-TST-001", n="1") + RULE_TEMPLATE.format(id="ARCH-TST-002", n="2")
    name = _package(tmp_path, "two_rules", {"both": two})
    with pytest.raises(
        RuleDefinitionError,
        match=r"two_rules\.both must define exactly one rule \(found: ARCH-TST-001, ARCH-TST-002\)",
    ):
        discover([name])
    empty = _package(tmp_path, "no_rules", {"nothing": "X = 1\n"})
    with pytest.raises(
        RuleDefinitionError, match=r"no_rules\.nothing must define exactly one rule \(found: none\)"
    ):
        discover([empty])


def test_discovery_finds_a_new_rule_module(tmp_path, monkeypatch) -> None:
    from archkit.verify.rules.registry import discover

    monkeypatch.syspath_prepend(str(tmp_path))
    name = _package(tmp_path, "extra_rules", {"tst_007": RULE_TEMPLATE.format(id="ARCH-TST-007", n="")})
    assert [r.id for r in discover([name])] == ["ARCH-TST-007"]


def test_bad_metadata_is_rejected_at_definition() -> None:
    from pydantic import ValidationError

    from archkit.verify.kinds.dynamodb_table import TableState
    from archkit.verify.rules.base import rule

    with pytest.raises(ValidationError, match="id"):
        rule(
            id="ARCH-ddb-1",
            title="Tables are fine in every way",
            severity="low",
            layer="data",
            enforces="Testing",
            applies_to=TableState,
            resource_type="AWS::DynamoDB::Table",
            remediation="Nothing to do here.",
        )(lambda s, c: None)


def test_every_rule_id_can_be_suppressed_and_has_complete_metadata() -> None:
    from archkit.spec.policy import SuppressionSpec
    from archkit.verify.rules import all_rules

    pattern = re.compile(SuppressionSpec.model_fields["rule"].metadata[0].pattern)
    for found in all_rules():
        meta = found.meta
        assert pattern.match(meta.id), meta.id
        assert meta.description, f"{meta.id} has no docstring"
        assert meta.module.endswith(Path(meta.module.replace(".", "/")).name)
        file_id = Path(meta.module.rsplit(".", 1)[1]).name.split("_")[:2]
        assert meta.id.lower().replace("arch-", "").split("-") == file_id, (meta.id, meta.module)


def test_the_issue_s_rules_are_all_there() -> None:
    from archkit.verify.rules import rule_ids

    expected = {
        "ARCH-CFR-001",
        "ARCH-CFR-002",
        "ARCH-CFR-003",
        "ARCH-CFR-004",
        "ARCH-CFR-005",
        "ARCH-WAF-001",
        "ARCH-WAF-002",
        "ARCH-WAF-003",
        "ARCH-WAF-004",
        "ARCH-WAF-005",
        "ARCH-APIG-001",
        "ARCH-APIG-002",
        "ARCH-APIG-003",
        "ARCH-APIG-004",
        "ARCH-APIG-005",
        "ARCH-APIG-006",
        "ARCH-APIG-007",
        "ARCH-APIG-008",
        "ARCH-LAM-001",
        "ARCH-LAM-002",
        "ARCH-LAM-003",
        "ARCH-LAM-004",
        "ARCH-LAM-005",
        "ARCH-LAM-006",
        "ARCH-SMG-001",
        "ARCH-IAM-001",
        "ARCH-DDB-001",
        "ARCH-DDB-002",
        "ARCH-S3-001",
        "ARCH-S3-002",
        "ARCH-S3-003",
        "ARCH-S3-004",
        "ARCH-S3-005",
        "ARCH-KMS-001",
        "ARCH-BAK-001",
        "ARCH-VPC-001",
        "ARCH-VPC-002",
        "ARCH-VPC-003",
        "ARCH-SG-001",
        "ARCH-COST-001",
        "ARCH-COST-002",
        "ARCH-COST-003",
        "ARCH-COST-004",
        "ARCH-COST-005",
        "ARCH-COST-006",
        "ARCH-GOV-001",
    }
    assert expected <= set(rule_ids())


def _nag_rule_ids() -> set[str]:
    """Every rule id the installed cdk-nag's packs can report, read from the packs' compiled sources."""
    import cdk_nag

    tgz = next((Path(cdk_nag.__file__).parent / "_jsii").glob("cdk-nag@*.jsii.tgz"))
    ids: set[str] = set()
    with tarfile.open(tgz) as archive:
        for member in archive.getmembers():
            if not re.fullmatch(r"package/lib/packs/[a-z0-9-]+\.js", member.name):
                continue
            source = archive.extractfile(member).read().decode()  # type: ignore[union-attr]
            pack = re.search(r"this\.packName = '([^']+)'", source)
            assert pack is not None, member.name
            for block in source.split("this.applyRule(")[1:]:
                suffix = re.search(r"ruleSuffixOverride: '([^']+)'", block.split("node: node")[0])
                name = re.search(r"rule: \w+\.(\w+)", block)
                assert name is not None
                ids.add(f"{pack.group(1)}-{(suffix or name).group(1)}")
    return ids


def test_cdk_nag_counterparts_exist_in_the_installed_cdk_nag() -> None:
    from archkit.verify.rules import catalogue

    known = _nag_rule_ids()
    assert {"AwsSolutions-DDB3", "Serverless-LambdaTracing"} <= known
    for meta in catalogue():
        for nag_id in meta.counterparts.cdk_nag:
            assert nag_id in known, f"{meta.id}: {nag_id} is not a rule of the installed cdk-nag"


def test_catalogue_markdown_lists_every_rule_with_its_counterparts_and_differences() -> None:
    from archkit.verify.rules import catalogue, catalogue_markdown

    text = catalogue_markdown()
    assert text == catalogue_markdown()
    for meta in catalogue():
        assert f"### {meta.id}\n" in text
        assert f"| [{meta.id}](#{meta.id.lower()}) |" in text
        if meta.differences:
            assert f"*Differs from cdk-nag:* {meta.differences}" in text
    assert "| [ARCH-DDB-001](#arch-ddb-001) | DynamoDB tables have point-in-time recovery | medium |" in text
    assert (
        "Security Hub: DynamoDB.2<br>cdk-nag: AwsSolutions-DDB3, NIST.800.53.R5-DynamoDBPITREnabled" in text
    )


def test_rules_and_static_evaluation_import_no_boto3_or_cdk() -> None:
    code = textwrap.dedent(
        """
        import sys
        from archkit.spec import load_spec
        from archkit.verify.desired import desired_states
        from archkit.verify.rules import catalogue, evaluate
        spec = load_spec("specs/reference.yaml")
        assert catalogue() and isinstance(evaluate(desired_states(spec), spec), list)
        heavy = sorted(m for m in ("boto3", "botocore", "aws_cdk", "diagrams") if m in sys.modules)
        print(",".join(heavy) or "light")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "light"


def test_evaluation_is_deterministic(reference_doc) -> None:
    from tests.rules.conftest import results_for

    assert results_for(dict(reference_doc)) == results_for(dict(reference_doc))
