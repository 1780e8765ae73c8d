"""`archkit verify --print-iam-role`: the member-account role the verifier assumes, as a CloudFormation
template (deploy it in every target account, e.g. as a StackSet).

The role holds exactly the read-only policy of `--print-iam-policy` and, behind a condition, the
Security Hub import of `--to-security-hub` (on the account's own default product only). Its trust is the
verifier's (tooling) account.
"""

from __future__ import annotations

import json
from typing import Any

from archkit.verify.iam_policy import policy_document
from archkit.verify.securityhub import IMPORT_ACTIONS
from archkit.verify.targets import DEFAULT_ROLE_NAME

ROLE_LOGICAL_ID = "ArchkitVerifyRole"
MAX_SESSION_SECONDS = 3600


def import_policy_document() -> dict[str, Any]:
    """The Security Hub import, limited to this account's default (custom findings) product."""
    own = "${AWS::AccountId}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ArchkitImportFindings",
                "Effect": "Allow",
                "Action": list(IMPORT_ACTIONS),
                "Resource": [
                    {"Fn::Sub": f"arn:${{AWS::Partition}}:securityhub:*:{own}:product/{own}/default"},
                    {"Fn::Sub": f"arn:${{AWS::Partition}}:securityhub:*:{own}:hub/default"},
                ],
            }
        ],
    }


def role_template(role_name: str = DEFAULT_ROLE_NAME, verifier_account: str | None = None) -> dict[str, Any]:
    """A CloudFormation template of the member role (parameters default to the targets file's values)."""
    account_param: dict[str, Any] = {
        "Type": "String",
        "AllowedPattern": r"^\d{12}$",
        "Description": "The verifier's (tooling) account, allowed to assume the role.",
    }
    if verifier_account:
        account_param["Default"] = verifier_account
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "archkit verify: read-only role assumed by the verifier account",
        "Parameters": {
            "VerifierAccountId": account_param,
            "RoleName": {"Type": "String", "Default": role_name, "Description": "Name of the role."},
            "ImportFindings": {
                "Type": "String",
                "AllowedValues": ["true", "false"],
                "Default": "true",
                "Description": "Allow the verifier to import its findings into this account's Security Hub.",
            },
        },
        "Conditions": {"ImportFindings": {"Fn::Equals": [{"Ref": "ImportFindings"}, "true"]}},
        "Resources": {
            ROLE_LOGICAL_ID: {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Ref": "RoleName"},
                    "Description": "archkit verify: read the deployed system (drift and compliance)",
                    "MaxSessionDuration": MAX_SESSION_SECONDS,
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {
                                    "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${VerifierAccountId}:root"}
                                },
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "Policies": [
                        {"PolicyName": "archkit-verify-read", "PolicyDocument": policy_document()},
                        {
                            "Fn::If": [
                                "ImportFindings",
                                {
                                    "PolicyName": "archkit-import-findings",
                                    "PolicyDocument": import_policy_document(),
                                },
                                {"Ref": "AWS::NoValue"},
                            ]
                        },
                    ],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": [ROLE_LOGICAL_ID, "Arn"]}}},
    }


def role_json(role_name: str = DEFAULT_ROLE_NAME, verifier_account: str | None = None) -> str:
    return json.dumps(role_template(role_name, verifier_account), indent=2) + "\n"
