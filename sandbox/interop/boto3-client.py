"""Drives a CodePipeline endpoint with boto3 (an independent client) and prints what it saw as JSON.

Usage: python3 boto3-client.py <endpoint-url>
Modelled errors are caught and reported (code, message, HTTP status) rather than raised.
"""

import json
import sys
import uuid

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

EXECUTION_PAGE = 7
ACTION_PAGE = 10


def client_for(endpoint):
    return boto3.client(
        "codepipeline",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDINTEROPTEST",
        aws_secret_access_key="interop-secret",
        # One attempt: a retry would hide a wrong status or error code.
        config=Config(retries={"total_max_attempts": 1}),
    )


def client_error(call):
    """Runs a call that must fail and reports the error as botocore parsed it."""
    try:
        call()
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"].get("Message", ""),
            "httpStatus": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return {"code": None, "message": "call succeeded", "httpStatus": 200}


def pages(client, operation, result_key, **params):
    paginator = client.get_paginator(operation)
    sizes, items = [], []
    for page in paginator.paginate(**params):
        sizes.append(len(page[result_key]))
        items.extend(page[result_key])
    return sizes, items


def pending_approval(client, names):
    """First Manual approval action InProgress with a token, found through GetPipelineState."""
    for name in names:
        declared = client.get_pipeline(name=name)["pipeline"]
        manual = {
            (stage["name"], action["name"])
            for stage in declared["stages"]
            for action in stage["actions"]
            if action["actionTypeId"]["category"] == "Approval" and action["actionTypeId"]["provider"] == "Manual"
        }
        for stage in client.get_pipeline_state(name=name)["stageStates"]:
            for action in stage.get("actionStates", []):
                latest = action.get("latestExecution", {})
                key = (stage["stageName"], action["actionName"])
                if key in manual and latest.get("status") == "InProgress" and latest.get("token"):
                    return {"pipeline": name, "stage": key[0], "action": key[1], "token": latest["token"]}
    return None


def main(endpoint):
    client = client_for(endpoint)
    out = {"boto3": boto3.__version__, "botocore": botocore.__version__}

    sizes, pipelines = pages(client, "list_pipelines", "pipelines")
    names = [p["name"] for p in pipelines]
    out["pipelines"] = {"names": names, "createdIsDatetime": all(hasattr(p.get("created"), "timestamp") for p in pipelines)}

    first = names[0]
    declared = client.get_pipeline(name=first)
    state = client.get_pipeline_state(name=first)
    out["getPipeline"] = {
        "name": declared["pipeline"]["name"],
        "stages": [s["name"] for s in declared["pipeline"]["stages"]],
        "pipelineArn": declared["metadata"]["pipelineArn"],
    }
    out["getPipelineState"] = {
        "pipelineName": state["pipelineName"],
        "stages": [s["stageName"] for s in state["stageStates"]],
    }

    busiest, executions, execution_pages = None, [], []
    for name in names:
        found_pages, found = pages(
            client, "list_pipeline_executions", "pipelineExecutionSummaries",
            pipelineName=name, PaginationConfig={"PageSize": EXECUTION_PAGE},
        )
        if len(found) > len(executions):
            busiest, executions, execution_pages = name, found, found_pages
    out["executions"] = {
        "pipeline": busiest,
        "pageSizes": execution_pages,
        "ids": [e["pipelineExecutionId"] for e in executions],
        "startTimesAreDatetimes": all(hasattr(e["startTime"], "timestamp") for e in executions),
    }

    action_pages, actions = pages(
        client, "list_action_executions", "actionExecutionDetails",
        pipelineName=busiest, PaginationConfig={"PageSize": ACTION_PAGE},
    )
    out["actionExecutions"] = {
        "pipeline": busiest,
        "pageSizes": action_pages,
        "ids": [a["actionExecutionId"] for a in actions],
    }

    out["errors"] = {
        "pipelineNotFound": client_error(lambda: client.get_pipeline(name="no-such-pipeline")),
        "badName": client_error(lambda: client.get_pipeline_state(name="not a valid name!")),
        "pageTooLarge": client_error(lambda: client.list_pipeline_executions(pipelineName=first, maxResults=1000)),
    }

    approval = pending_approval(client, names)
    out["approval"] = approval
    if not approval:
        return out
    target = {"pipelineName": approval["pipeline"], "stageName": approval["stage"], "actionName": approval["action"]}
    # A well-formed token that was never issued, sent while the approval is still waiting.
    out["errors"]["unknownToken"] = client_error(lambda: client.put_approval_result(
        **target, result={"summary": "Nope", "status": "Rejected"}, token=str(uuid.uuid4()),
    ))
    approved = client.put_approval_result(
        **target, result={"summary": "Approved by the interop client", "status": "Approved"}, token=approval["token"],
    )
    approval["approvedAtIsDatetime"] = hasattr(approved["approvedAt"], "timestamp")
    out["errors"]["tokenReused"] = client_error(lambda: client.put_approval_result(
        **target, result={"summary": "Again", "status": "Rejected"}, token=approval["token"],
    ))
    after = client.get_pipeline_state(name=approval["pipeline"])["stageStates"]
    approval["statusAfter"] = next(
        action.get("latestExecution", {}).get("status")
        for stage in after if stage["stageName"] == approval["stage"]
        for action in stage.get("actionStates", []) if action["actionName"] == approval["action"]
    )
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: boto3-client.py <endpoint-url>")
    print(json.dumps(main(sys.argv[1]), indent=2, sort_keys=True))
