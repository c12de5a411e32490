"""What AWS refuses at apply time, the local cloud refuses with AWS's error."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import LAMBDA_TRUST, make_role, zip_source

pytestmark = pytest.mark.localcloud


def queue_arn(aws, name: str, visibility: int) -> str:
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": str(visibility)})["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def refusal(call) -> dict:
    with pytest.raises(ClientError) as refused:
        call()
    return refused.value.response["Error"]


def test_a_queue_whose_visibility_timeout_is_below_the_function_timeout_is_refused(aws, make_function, unique):
    function = make_function("def handler(e, c):\n    return 1\n", Timeout=60)
    short = queue_arn(aws, f"{unique}-short", visibility=30)
    error = refusal(lambda: aws("lambda").create_event_source_mapping(EventSourceArn=short, FunctionName=function))
    assert error == {"Code": "InvalidParameterValueException", "Message": error["Message"]}
    assert error["Message"] == "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
    enough = queue_arn(aws, f"{unique}-enough", visibility=60)
    aws("lambda").create_event_source_mapping(EventSourceArn=enough, FunctionName=function)


def test_a_batch_over_ten_needs_a_batching_window(aws, make_function, unique):
    function = make_function("def handler(e, c):\n    return 1\n", Timeout=10)
    arn = queue_arn(aws, unique, visibility=60)
    error = refusal(
        lambda: aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=11)
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
    )
    aws("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName=function, BatchSize=11, MaximumBatchingWindowInSeconds=1
    )


def test_names_over_64_characters_are_refused_as_aws_refuses_them(aws, unique):
    name = f"{unique}-" + "x" * (65 - len(unique) - 1)
    assert len(name) == 65
    error = refusal(lambda: aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}"))
    assert (error["Code"], error["Message"]) == (
        "ValidationError",
        f"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64",
    )
    role = aws("iam").create_role(RoleName=name[:64], AssumeRolePolicyDocument="{}")["Role"]["Arn"]

    error = refusal(
        lambda: aws("lambda").create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=role,
            Handler="fn.handler",
            Code={"ZipFile": zip_source({"fn.py": "def handler(e, c):\n    return 1\n"})},
        )
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        f"1 validation error detected: Value '{name}' at 'functionName' failed "
        "to satisfy constraint: Member must have length less than or equal to 64",
    )


def test_an_sqs_mapping_needs_a_role_allowed_to_receive_delete_and_read_the_queue(aws, make_function, unique):
    arn = queue_arn(aws, unique, visibility=60)
    iam = aws("iam")
    role = make_role(iam, f"{unique}-reader", {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": arn})
    function = make_function("def handler(e, c):\n    return 1\n", Timeout=10, Role=role)
    error = refusal(lambda: aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function))
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "The function execution role does not have permissions to call DeleteMessage on SQS",
    )
    iam.put_role_policy(
        RoleName=f"{unique}-reader",
        PolicyName="consume",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Resource": arn,
                        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                    }
                ],
            }
        ),
    )
    aws("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName=function)


def test_a_stream_mapping_needs_a_role_allowed_to_read_the_stream(aws, make_function, unique):
    stream = aws("dynamodb").create_table(
        TableName=unique,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]["LatestStreamArn"]
    role = make_role(aws("iam"), f"{unique}-blind")
    function = make_function("def handler(e, c):\n    return 1\n", Role=role)
    error = refusal(
        lambda: aws("lambda").create_event_source_mapping(
            EventSourceArn=stream, FunctionName=function, StartingPosition="LATEST"
        )
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        f"Cannot access stream {stream}. Please ensure the role can perform the "
        "GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.",
    )
    aws("iam").attach_role_policy(
        RoleName=f"{unique}-blind", PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"
    )
    aws("lambda").create_event_source_mapping(EventSourceArn=stream, FunctionName=function, StartingPosition="LATEST")


def test_a_function_whose_role_lambda_may_not_assume_is_refused(aws, unique):
    role = make_role(
        aws("iam"),
        f"{unique}-ec2",
        trust=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    error = refusal(
        lambda: aws("lambda").create_function(
            FunctionName=unique,
            Runtime="python3.11",
            Role=role,
            Handler="fn.handler",
            Code={"ZipFile": zip_source({"fn.py": "def handler(e, c):\n    return 1\n"})},
        )
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "The role defined for the function cannot be assumed by Lambda.",
    )


def test_a_reservation_leaving_fewer_than_100_unreserved_in_the_account_is_refused(aws, make_function):
    """The account's limit is 1000 (LOCALCLOUD_ACCOUNT_CONCURRENCY), as AWS's default quota."""
    lam = aws("lambda")
    name = make_function("def handler(e, c):\n    return 1\n")
    reserved_elsewhere = sum(
        int(lam.get_function_concurrency(FunctionName=f["FunctionName"]).get("ReservedConcurrentExecutions") or 0)
        for f in lam.list_functions()["Functions"]
    )
    most = 1000 - 100 - reserved_elsewhere
    error = refusal(lambda: lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=most + 1))
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "Specified ReservedConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [100].",
    )
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=most)
    lam.delete_function_concurrency(FunctionName=name)


def test_a_fifo_queue_takes_no_batching_window_so_its_batches_stay_at_ten(aws, make_function, unique):
    function = make_function("def handler(e, c):\n    return 1\n", Timeout=10)
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=f"{unique}.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "60"})[
        "QueueUrl"
    ]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam = aws("lambda")
    error = refusal(
        lambda: lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName=function, BatchSize=20, MaximumBatchingWindowInSeconds=5
        )
    )
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException",
        "Batching window is not supported for FIFO queues",
    )
    error = refusal(lambda: lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=20))
    assert "maximum batch size is greater than 10" in error["Message"]
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName=function, BatchSize=10)


ENI_STATEMENT = {
    "Effect": "Allow",
    "Resource": "*",
    "Action": ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"],
}


@pytest.fixture
def network(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName=f"g-{vpc}", Description="functions", VpcId=vpc)["GroupId"]
    other_vpc = ec2.create_vpc(CidrBlock="10.31.0.0/16")["Vpc"]["VpcId"]
    other_group = ec2.create_security_group(GroupName=f"g-{other_vpc}", Description="x", VpcId=other_vpc)["GroupId"]
    return {"vpc": vpc, "subnet": subnet, "group": group, "other_group": other_group}


def create_in_vpc(aws, name: str, role: str, subnet: str, group: str) -> dict:
    return aws("lambda").create_function(
        FunctionName=name,
        Runtime="python3.11",
        Handler="fn.handler",
        Role=role,
        Code={"ZipFile": zip_source({"fn.py": "def handler(e, c):\n    return 1\n"})},
        VpcConfig={"SubnetIds": [subnet], "SecurityGroupIds": [group]},
    )


def test_a_function_in_a_vpc_names_its_vpc(aws, unique, network):
    role = make_role(aws("iam"), f"{unique}-role", ENI_STATEMENT)
    created = create_in_vpc(aws, f"{unique}-fn", role, network["subnet"], network["group"])
    assert created["VpcConfig"]["VpcId"] == network["vpc"]
    assert aws("lambda").get_function_configuration(FunctionName=f"{unique}-fn")["VpcConfig"]["SubnetIds"] == [
        network["subnet"]
    ]


@pytest.mark.parametrize(
    "case, message",
    [
        (
            "role without network interface permissions",
            "does not have permissions to call CreateNetworkInterface on EC2",
        ),
        ("missing subnet", "InvalidSubnetID.NotFound"),
        ("missing security group", "InvalidGroup.NotFound"),
        ("security group of another VPC", "must belong to the same VPC"),
    ],
)
def test_a_function_whose_vpc_lambda_could_not_attach_is_refused(aws, unique, network, case, message):
    role = make_role(aws("iam"), f"{unique}-role", *([] if case.startswith("role") else [ENI_STATEMENT]))
    subnet = "subnet-0123456789abcdef0" if case == "missing subnet" else network["subnet"]
    group = {
        "missing security group": "sg-0123456789abcdef0",
        "security group of another VPC": network["other_group"],
    }.get(case, network["group"])
    with pytest.raises(ClientError) as refused:
        create_in_vpc(aws, f"{unique}-fn", role, subnet, group)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert message in refused.value.response["Error"]["Message"]


def test_permissions_removed_at_once_are_all_removed():
    """Terraform deletes a function's permissions in parallel: each removal takes its own statement out.
    moto in this process, its walk through the statements slowed down so that removals overlap."""
    import threading
    import time

    import boto3
    from moto import mock_aws
    from moto.awslambda.models import lambda_backends

    from localcloud.lambda_ import config

    config.install_serialized_permissions()

    class SlowStatements(list):
        def __iter__(self):  # noqa: ANN204 - a list's iterator, one statement at a time, slowly
            for statement in list.__iter__(self):
                time.sleep(0.02)
                yield statement

    with mock_aws():
        role = boto3.client("iam", region_name="us-east-1").create_role(
            RoleName="fn", AssumeRolePolicyDocument=LAMBDA_TRUST
        )["Role"]["Arn"]
        lam = boto3.client("lambda", region_name="us-east-1")
        lam.create_function(
            FunctionName="fn",
            Runtime="python3.11",
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": zip_source({"index.py": "def handler(event, context):\n    return None\n"})},
        )
        sids = [f"route-{n}" for n in range(6)]
        for sid in sids:
            lam.add_permission(
                FunctionName="fn", StatementId=sid, Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com"
            )
        policy = lambda_backends["123456789012"]["us-east-1"].get_function("fn").policy
        policy.statements = SlowStatements(policy.statements)
        errors: list[Exception] = []

        def remove(sid: str) -> None:
            try:
                lam.remove_permission(FunctionName="fn", StatementId=sid)
            except ClientError as error:
                errors.append(error)

        removals = [threading.Thread(target=remove, args=(sid,)) for sid in reversed(sids)]
        for removal in removals:
            removal.start()
        for removal in removals:
            removal.join()
        left = [s["Sid"] for s in list.__iter__(policy.statements)]
    assert errors == [] and left == []
