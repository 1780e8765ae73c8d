"""Loads uploaded CSV files into the records table: one SQS message per S3 event, one item per row.

Reports partial batch failures, so only the messages whose file failed are retried (and, after the queue's
max_receive_count, moved to its dead-letter queue)."""

import csv
import io
import json
import os
import urllib.parse
from datetime import datetime, timezone

import boto3

_s3 = boto3.client("s3")
_table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def _load(bucket: str, key: str) -> int:
    body = _s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
    now = datetime.now(timezone.utc).isoformat()
    count = 0
    with _table.batch_writer() as batch:
        for row, data in enumerate(csv.DictReader(io.StringIO(body))):
            batch.put_item(Item={"file": key, "row": row, "data": data, "imported_at": now})
            count += 1
    return count


def handler(event, context):
    failures = []
    for message in event.get("Records", []):
        try:
            notice = json.loads(message["body"])
            for record in notice.get("Records", []):  # an s3:TestEvent has none
                s3 = record["s3"]
                _load(s3["bucket"]["name"], urllib.parse.unquote_plus(s3["object"]["key"]))
        except Exception as exc:  # one bad file must not fail the others of the batch
            print(json.dumps({"message_id": message["messageId"], "error": str(exc)}))
            failures.append({"itemIdentifier": message["messageId"]})
    return {"batchItemFailures": failures}
