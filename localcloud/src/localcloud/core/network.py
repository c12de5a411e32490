"""The network rules every service that places resources in a VPC shares.

A function attached to a VPC (CreateFunction, UpdateFunctionConfiguration with ``VpcConfig``):
- its role must be allowed ``ec2:CreateNetworkInterface``, ``ec2:DescribeNetworkInterfaces`` and
  ``ec2:DeleteNetworkInterface``: ``The provided execution role does not have permissions to call
  CreateNetworkInterface on EC2``;
- its subnets and security groups must exist (EC2's ``InvalidSubnetID.NotFound`` /
  ``InvalidGroup.NotFound``, as Lambda relays them) and belong to one VPC, which the function's
  configuration then names (moto answered a fixed ``vpc-123abc``).
"""

from __future__ import annotations

from typing import Any

from moto.awslambda.exceptions import InvalidParameterValueException

from localcloud.core import iam

VPC_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")


def check_vpc(account: str, region: str, role_arn: str, config: dict[str, Any] | None) -> str | None:
    """The VPC of a function's VpcConfig (None when it has none), or InvalidParameterValueException."""
    from moto.ec2.models import ec2_backends

    subnets, groups = list((config or {}).get("SubnetIds") or []), list((config or {}).get("SecurityGroupIds") or [])
    if not subnets and not groups:
        return None
    role = iam.role_by_arn(role_arn)
    if role is not None:
        identity = iam.poller_identity(role_arn)
        for action in VPC_ACTIONS:
            if not iam.decide(identity, action, "*").allowed:
                raise InvalidParameterValueException(
                    f"The provided execution role does not have permissions to call {action.split(':')[1]} on EC2"
                )
    ec2 = ec2_backends[account][region]
    vpcs = set()
    for subnet_id in subnets:
        try:
            vpcs.add(ec2.get_subnet(subnet_id).vpc_id)
        except Exception:
            raise InvalidParameterValueException(
                f"Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: "
                f"The subnet ID '{subnet_id}' does not exist"
            ) from None
    for group_id in groups:
        group = ec2.get_security_group_from_id(group_id)
        if group is None:
            raise InvalidParameterValueException(
                f"Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error "
                f"Message: The security group '{group_id}' does not exist"
            )
        vpcs.add(group.vpc_id)
    if len(vpcs) > 1:
        raise InvalidParameterValueException(
            f"Security groups and subnets must belong to the same VPC: {', '.join(sorted(vpcs))}"
        )
    return vpcs.pop()
