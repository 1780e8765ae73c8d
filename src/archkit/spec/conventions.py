"""Facts the CDK app, verify, the diagrams and the docs must agree on, written once.

Everything here is a choice archkit makes about what a deployment looks like beyond the spec's own
fields (a default action, a log prefix, the name of a derived queue, CDK's own placeholders). The CDK
constructs build from these values and verify expects them, so the two cannot drift apart by editing one
side. Imports nothing but the naming function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archkit.spec.naming import physical_name

if TYPE_CHECKING:
    from archkit.spec.edge import WafLoggingSpec
    from archkit.spec.system import ArchSpec

GLOBAL_REGION = "us-east-1"
"""Where the global services live and answer: CloudFront's certificate and its WAF web ACL (scope
CLOUDFRONT), Route 53, the billing APIs."""

# AWS-managed prefix lists of the gateway-endpoint services (the same id in every account of a region): CDK
# writes them into security group rules, the emulator maps them onto its own lists of the same name.
MANAGED_PREFIX_LISTS: dict[str, dict[str, str]] = {
    "us-east-1": {"s3": "pl-63a5400a", "dynamodb": "pl-02cd2c6b"},
    "us-east-2": {"s3": "pl-7ba54012", "dynamodb": "pl-4ca54025"},
    "us-west-2": {"s3": "pl-68a54001", "dynamodb": "pl-00a54069"},
    "eu-west-1": {"s3": "pl-6da54004", "dynamodb": "pl-6fa54006"},
    "eu-central-1": {"s3": "pl-6ea54007", "dynamodb": "pl-66a5400f"},
}


def managed_prefix_list_name(region: str, service: str) -> str:
    """``com.amazonaws.<region>.<service>``: the name AWS gives the managed prefix list."""
    return f"com.amazonaws.{region}.{service}"


# --- WAF -------------------------------------------------------------------------------------------------

MANAGED_RULE_VENDOR = "AWS"
"""Vendor of every managed rule group archkit attaches."""

MANAGED_RULE_GROUPS: dict[str, str] = {
    "ip_reputation": "AWSManagedRulesAmazonIpReputationList",
    "xss": "AWSManagedRulesCommonRuleSet",
    "known_bad_inputs": "AWSManagedRulesKnownBadInputsRuleSet",
    "sql_injection": "AWSManagedRulesSQLiRuleSet",
    "bot_control": "AWSManagedRulesBotControlRuleSet",
}
"""WAF spec switch (`edge.waf.<switch>`) -> AWS managed rule group name."""


EDGE_WEB_ACL = "web-acl"
"""Name key of CloudFront's web ACL (``edge.waf``)."""

API_WEB_ACL = "api-acl"
"""Name key of the API stage's regional web ACL (``api.origin_verify``, methods' IP allow lists)."""


API_DOMAIN_PATH = "api.domain"
"""Spec path of the API's custom domain (its certificate and base path mappings are parts of it)."""
API_DOMAIN_KEY = "api-domain"
"""Name key of the API domain's issued certificate."""

WAF_LOGGING_PATH = "edge.waf.logging"
"""Spec path of WAF request logging; it switches logging on for every web ACL archkit deploys."""


def waf_logging(spec: ArchSpec, acl_key: str) -> WafLoggingSpec:
    """The logging settings of a web ACL: the stage's follows `api.waf.logging` when `api.waf` is on, else
    (origin verification and IP allow lists only) `edge.waf.logging`, which switched it on before."""
    if acl_key == API_WEB_ACL and spec.api.waf.enabled:
        return spec.api.waf.logging
    return spec.edge.waf.logging


def logged_web_acls(spec: ArchSpec) -> list[str]:
    """Name keys of the web ACLs whose requests are logged (each to its own group with its own key)."""
    acls = [EDGE_WEB_ACL] if spec.edge.waf.enabled and waf_logging(spec, EDGE_WEB_ACL).enabled else []
    if spec.api.routes and spec.api.stage_web_acl() and waf_logging(spec, API_WEB_ACL).enabled:
        acls.append(API_WEB_ACL)
    return acls


def waf_logs_key_path(acl_key: str) -> str:
    """Spec path (and `archkit:id`) of the KMS key encrypting one web ACL's request logs."""
    return f"{WAF_LOGGING_PATH}.{acl_key}"


def waf_logs_key_description(spec: ArchSpec, acl_key: str) -> str:
    """Description of that key (CDK sets it, verify expects it)."""
    return f"Encrypts the request logs of {physical_name(spec, acl_key)}"


def managed_rule_group_id(switch: str) -> str:
    """`<vendor>/<name>` of the managed rule group a WAF switch turns on (the form verify reads)."""
    return f"{MANAGED_RULE_VENDOR}/{MANAGED_RULE_GROUPS[switch]}"


# --- Load balancer ---------------------------------------------------------------------------------------

ALB_ACCESS_LOG_PREFIX = "alb"
"""Key prefix of the load balancer's access logs in the log bucket."""

ALB_DEFAULT_STATUS = 404
"""HTTP status the listener answers for a path no target claims (a fixed response)."""

ALB_DEFAULT_ACTION = f"fixed-response {ALB_DEFAULT_STATUS}"
"""The listener's default action in state form."""

# --- Network ---------------------------------------------------------------------------------------------

CDK_DENY_ALL_EGRESS: dict[str, str | int] = {
    "CidrIp": "255.255.255.255/32",
    "Description": "Disallow all traffic",
    "FromPort": 252,
    "IpProtocol": "icmp",
    "ToPort": 86,
}
"""CDK's placeholder egress rule of a security group with no outbound rules: it matches no real traffic,
so verify does not count it as a rule."""

CDK_CUSTOM_RESOURCE_PROVIDER = "AWS679f53fac002430cb0da5b7982bd2287"
"""Construct id of the singleton function behind every AwsCustomResource of a stack (CDK's constant):
deployment machinery, so it carries none of the system's tags and verify neither expects nor reports it."""

NOTIFICATIONS_HANDLER = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834"
"""Construct id of CDK's singleton function (one per stack) applying bucket notification configurations:
deployment machinery like the provider above (no system tags; verify neither expects nor reports it)."""

# --- Compute ---------------------------------------------------------------------------------------------

ROTATION_PRINCIPAL = "secretsmanager.amazonaws.com"
"""The service principal invoking rotation functions (its permission is scoped to the account)."""

ELB_PRINCIPAL = "elasticloadbalancing.amazonaws.com"
"""The service principal invoking the load balancer's Lambda targets (scoped to the target group and the
account)."""

API_GATEWAY_PRINCIPAL = "apigateway.amazonaws.com"
"""The service principal invoking integrations and authorizers (CDK scopes each permission to the method's
or the authorizer's execute-api ARN)."""

EVENTS_PRINCIPAL = "events.amazonaws.com"
"""The service principal of EventBridge schedules and rules delivering to a function or a queue."""

S3_PRINCIPAL = "s3.amazonaws.com"
"""The service principal of bucket notifications delivering to a function or a queue."""

SNS_PRINCIPAL = "sns.amazonaws.com"
"""The service principal of topic subscriptions delivering to a function or a queue."""


def delivering_services(spec: ArchSpec, target_path: str) -> set[str]:
    """The service principals the spec has deliver events to ``functions.<k>`` or ``queues.<k>``: each gets
    a statement in the target's resource policy (CDK's permission or queue policy, scoped to the source)."""
    services: set[str] = set()
    if any(r.target_path() == target_path for r in (*spec.schedules.values(), *spec.event_rules.values())):
        services.add(EVENTS_PRINCIPAL)
    if any(n.target_path() == target_path for b in spec.buckets.values() for n in b.notifications):
        services.add(S3_PRINCIPAL)
    subscribers = {s.target()[1] for t in spec.topics.values() for s in t.subscriptions}
    if target_path in subscribers:
        services.add(SNS_PRINCIPAL)
    return services


ROTATED_SECRET_DENIES = ("secretsmanager:DeleteSecret",)
"""CDK's rotation schedule puts a resource policy on each rotated secret denying these actions to the
account's root (the secret is deleted by deleting the stack, not by hand)."""

# --- Data ------------------------------------------------------------------------------------------------

TLS_PARAMETERS: dict[str, tuple[str, str]] = {
    "postgres": ("rds.force_ssl", "1"),
    "mysql": ("require_secure_transport", "ON"),
}
"""Engine -> (parameter, value) of the database parameter group refusing connections without TLS
(`rds.require_tls`)."""


def database_parameter_group_name(spec: ArchSpec) -> str:
    """Name of the database's own parameter group (created when `rds.require_tls`)."""
    return physical_name(spec, "db-parameters")


PITR_RECOVERY_DAYS = 35
"""Point-in-time recovery window of a table (DynamoDB's maximum)."""

STREAM_FAILURE_RETENTION_DAYS = 14
"""How long the stream-failure queue keeps a failed batch record."""

TABLE_ENCRYPTION_LABELS: dict[str, str] = {
    "aws_owned": "AWS-owned key",
    "aws_managed": "AWS-managed KMS key",
    "customer_managed": "customer-managed KMS key",
}
"""`tables.<t>.encryption` -> how diagrams and docs name it."""

BUCKET_ENCRYPTION_LABELS: dict[str, str] = {"s3_managed": "SSE-S3", "kms": "SSE-KMS"}
"""`buckets.<b>.encryption` -> how diagrams and docs name it."""

S3_MANAGED_ALGORITHM = "AES-256"
"""The cipher of SSE-S3, named beside its label where there is room."""

S3_READ_ACTION_PREFIXES = ("s3:Get", "s3:List")
S3_WRITE_ACTION_PREFIXES = ("s3:Put", "s3:Delete", "s3:Abort", "s3:Restore")
"""How a bucket policy statement's actions read as `read` / `write` access (the grant actions of
`archkit.spec.access` fall in these)."""


STREAM_FAILURE_VISIBILITY_TIMEOUT = 30
"""Visibility timeout (seconds) of a table stream's failure queue: nothing consumes it automatically."""


def stream_failure_queue_name(spec: ArchSpec, table_key: str) -> str:
    """Physical name of the queue receiving a table stream's failed batches."""
    return physical_name(spec, f"{table_key}-stream-failures")


# --- cost scope ------------------------------------------------------------------------------------------

COST_SCOPE_TAGS = ("Project", "Environment")
"""The cost-allocation tags that scope budgets and the anomaly monitor to one system in one environment
(they must be activated as cost-allocation tags in the billing console, or nothing matches)."""

BUDGET_METRIC = "UnblendedCost"
"""What a budget measures (stated, so verify compares it rather than trusting a default)."""


def cost_scope(spec: ArchSpec) -> dict[str, str]:
    """Tag key -> value every cost of this system in this environment carries."""
    values = {"Project": spec.project, "Environment": spec.environment}
    return {key: values[key] for key in COST_SCOPE_TAGS}


def cost_scope_expression(spec: ArchSpec) -> dict[str, Any]:
    """The filter of budgets and the anomaly monitor: every scope tag equal to its value (an ``And`` of
    ``Tags`` terms; the same JSON shape in AWS Budgets' FilterExpression and Cost Explorer's monitor
    specification). Not the older ``CostFilters.TagKeyValue`` list: its values are ORed, so it would count
    every project of the environment too."""
    return {
        "And": [
            {"Tags": {"Key": key, "Values": [value], "MatchOptions": ["EQUALS"]}}
            for key, value in cost_scope(spec).items()
        ]
    }


def cost_scope_labels(spec: ArchSpec) -> list[str]:
    """The scope as verify states it: ``Key=Value`` per tag, sorted."""
    return sorted(f"{key}={value}" for key, value in cost_scope(spec).items())


STREAM_FAILURES_SUFFIX = "stream_failures"
"""Spec path segment of a table stream's failure queue: `tables.<key>.stream_failures`."""


def stream_failure_queue_path(table_key: str) -> str:
    """Spec path (and `archkit:id`) of the queue receiving a table stream's failed batches."""
    return f"tables.{table_key}.{STREAM_FAILURES_SUFFIX}"


def stream_failure_tables(spec: ArchSpec) -> list[str]:
    """Keys of the tables whose stream consumer sends failed batches to a queue of their own."""
    return [
        key
        for key, t in spec.tables.items()
        if t.stream is not None and t.stream.consumer and t.stream.on_failure_queue
    ]


# --- Events ----------------------------------------------------------------------------------------------

DEAD_LETTER_SUFFIX = "dead_letter"
"""Spec path segment of a queue's dead-letter queue: `queues.<key>.dead_letter`."""


def dead_letter_path(queue_key: str) -> str:
    """Spec path (and `archkit:id`) of a queue's dead-letter queue."""
    return f"queues.{queue_key}.{DEAD_LETTER_SUFFIX}"


def dead_letter_queue_name(spec: ArchSpec, queue_key: str) -> str:
    """Physical name of a queue's dead-letter queue."""
    return physical_name(spec, f"{queue_key}-dlq")


DEAD_LETTER_VISIBILITY_TIMEOUT = 30
"""Visibility timeout (seconds) of a dead-letter queue: nothing consumes it automatically."""

AWS_MANAGED_SNS_KEY = "alias/aws/sns"
"""The AWS-managed key of a topic with `encryption: aws_managed`."""

PROVISIONED_ALIAS = "live"
"""Alias of the published version that holds a function's provisioned concurrency."""
