"""VPC networking: security groups, routes and endpoints decide what a function in a VPC can reach."""

from __future__ import annotations

from typing import Any

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    """The data stores guard their own endpoints (vpc/guard.py) and the front door checks each request from
    a function in a VPC (egress.py); here, a VPC's default security group gets the inbound rule AWS gives
    it: all traffic from members of the same group (moto's had none)."""
    from moto.ec2.models import security_groups

    Group, Rule = security_groups.SecurityGroup, security_groups.SecurityGroupRule
    original = Group.__init__

    def init(self: Any, ec2_backend: Any, group_id: str, *args: Any, **kwargs: Any) -> None:
        original(self, ec2_backend, group_id, *args, **kwargs)
        if self.is_default and self.vpc_id:
            self.ingress_rules.append(
                Rule(
                    ec2_backend,
                    "-1",
                    group_id,
                    None,
                    None,
                    None,
                    source_group={
                        "GroupId": group_id,
                        "OwnerId": ec2_backend.account_id,
                        "UserId": ec2_backend.account_id,
                    },
                    is_egress=False,
                )
            )

    Group.__init__ = init  # type: ignore[method-assign]
    _install_rule_descriptions(Rule)
    _install_revoke_by_rule_id(security_groups)


def _install_revoke_by_rule_id(security_groups: Any) -> None:
    """A revoke naming rule IDs checks them all before it removes any, and an unknown one is answered
    InvalidSecurityGroupRuleId.NotFound, as EC2 answers it (moto: InvalidPermission.NotFound, which the provider
    does not expect there: a retried revoke failed a whole apply at aws_default_security_group)."""
    from moto.ec2.exceptions import InvalidSecurityGroupNotFoundError, InvalidSecurityGroupRuleIdNotFoundError

    Backend = security_groups.SecurityGroupBackend

    def checked(direction: str) -> Any:
        original = getattr(Backend, f"revoke_security_group_{direction}")

        def revoke(self: Any, group_name_or_id: str, *args: Any, **kwargs: Any) -> Any:
            rule_ids = kwargs.get("security_rule_ids")
            if rule_ids:
                group = self.get_security_group_by_name_or_id(group_name_or_id, kwargs.get("vpc_id"))
                if group is None:
                    raise InvalidSecurityGroupNotFoundError(group_name_or_id)
                known = {rule.id for rule in getattr(group, f"{direction}_rules")}
                unknown = [rule_id for rule_id in rule_ids if rule_id not in known]
                if unknown:
                    raise InvalidSecurityGroupRuleIdNotFoundError(unknown[0])
            return original(self, group_name_or_id, *args, **kwargs)

        return revoke

    Backend.revoke_security_group_ingress = checked("ingress")
    Backend.revoke_security_group_egress = checked("egress")


def _install_rule_descriptions(Rule: Any) -> None:
    """A rule's description, whatever its source: moto kept only a CIDR rule's, so the provider saw a rule
    naming a security group or a prefix list lose its description and planned to put it back, forever."""
    original = Rule.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        prefix_list = (
            kwargs.get("prefix_list_id") if "prefix_list_id" in kwargs else (args[7] if len(args) > 7 else None)
        )
        self.localcloud_prefix_description = prefix_list.get("Description") if isinstance(prefix_list, dict) else None

    def description(self: Any) -> str | None:
        return (
            (self.ip_range or {}).get("Description")
            or (self.source_group or {}).get("Description")
            or getattr(self, "localcloud_prefix_description", None)
        )

    Rule.__init__ = init
    Rule.description = property(description)


def middleware(app: Any, context: Context) -> Any:
    from localcloud.vpc.egress import PrivateSubnets

    return PrivateSubnets(app)


EXTENSION = Extension(
    service="vpc",
    summary="security groups, route tables, VPC endpoints and NAT gateways decide what a function reaches",
    install=install,
    middleware=middleware,
    features=(
        Feature(
            title="A VPC is a network.",
            does=(
                "A function attached to a VPC runs as a worker process the local cloud can tell apart (the kernel "
                "names which process holds each connection's client end). Its connections to a PostgreSQL DB "
                "instance, an RDS Proxy or a Redis cache get through only when both are in one VPC, an inbound "
                "rule of the store's security groups admits the function's group (or a CIDR holding its subnets) "
                "on the port, and an outbound rule of the function's group lets it reach the store; a function "
                "outside any VPC reaches only a publicly accessible store open to 0.0.0.0/0; an RDS Proxy's hop to "
                "its database must be admitted by the database's groups. Its calls to AWS APIs leave through an "
                "interface endpoint of the service with private DNS (whose groups must admit HTTPS from the "
                "function), a gateway endpoint (S3, DynamoDB) on the subnet's route table (the function's group "
                "letting HTTPS out to its prefix list), or a NAT gateway route (HTTPS out to 0.0.0.0/0); an "
                "internet gateway is no way out (Lambda gives no public address). Through an endpoint, its policy "
                "is evaluated with the caller's (`... because no VPC endpoint policy allows the dynamodb:GetItem "
                "action`). Whatever has no way gets no answer until the client's timeout or the function's "
                "(`Task timed out`), as in AWS; the local cloud's log names the missing rule or route. Every subnet "
                "of a function must have the way. Connections from outside the local cloud's functions (a test, "
                "an operator's client) stand for an operator's session inside the network and are not checked. "
                "A VPC's default security group admits all traffic from its own members, as AWS creates it. A revoke "
                "naming rule IDs checks each before removing any (`InvalidSecurityGroupRuleId.NotFound`). "
                "Not modelled: network ACLs, VPC peering and transit gateways, Aurora cluster endpoints."
            ),
            moto_without="VPCs, groups and endpoints were stored; every function reached everything on loopback; a default security group admitted nothing",
            code=("vpc/placement.py", "vpc/rules.py", "vpc/guard.py", "vpc/egress.py"),
            tests=("localcloud/vpc/test_vpc_network.py",),
        ),
    ),
)
