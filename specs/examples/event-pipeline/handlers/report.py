"""Nightly report: counts the records imported yesterday (UTC) and logs the figure.

Invoked asynchronously by the schedule; a failure is retried once and then sent to the alerts topic."""

import json
import os
from datetime import datetime, timedelta, timezone

import boto3
from boto3.dynamodb.conditions import Attr

_table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    day = (datetime.now(timezone.utc) - timedelta(days=1)).date().isoformat()
    count, kwargs = 0, {"FilterExpression": Attr("imported_at").begins_with(day), "Select": "COUNT"}
    while True:
        page = _table.scan(**kwargs)
        count += page["Count"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    report = {"day": day, "records": count}
    print(json.dumps(report))
    return report
