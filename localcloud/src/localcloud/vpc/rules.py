"""What a VPC lets through, read live from EC2's security groups, route tables, endpoints and NAT gateways.

Two questions, answered as AWS's network answers them:
- may a client reach a data store's port (a DB instance, an RDS Proxy, a cache)? Both in one VPC, a
  security group of the store admitting the client (by group or by a CIDR holding the client's subnets)
  and a security group of the client letting it out (by group or by a CIDR holding the store's subnets);
  a client outside any VPC only a publicly accessible store open to 0.0.0.0/0. Security groups are
  stateful, so answers need no rule. Network ACLs are not modelled (the default ACL admits everything).
- how does a function in a VPC reach an AWS API? Through an interface endpoint of the service with
  private DNS (its security groups admitting the function on 443), else a gateway endpoint (S3,
  DynamoDB) on the subnet's route table (the function's group letting 443 out to the endpoint's prefix
  list), else a NAT gateway route (443 out to 0.0.0.0/0). Lambda gives a function's network interfaces
  no public address, so an internet gateway route is no way out. Without a way, the call goes nowhere.
Every subnet of a function must have the way (Lambda may place an execution environment in any of them):
a gap that would fail some invocations in AWS fails all of them here.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from localcloud.vpc.placement import Placement

HTTPS = 443
# Endpoint services whose name is not the API's signing name.
ENDPOINT_SERVICES = {"kinesis": "kinesis-streams", "firehose": "kinesis-firehose"}


@dataclass(frozen=True)
class Store:
    """A data store's network side: where it sits, and whether it has a public address."""

    placement: Placement
    port: int
    publicly_accessible: bool = False


@dataclass(frozen=True)
class Way:
    """How a call leaves a VPC: `via` for messages, and the endpoint's policy when it goes through one."""

    via: str
    endpoint_policy: dict[str, Any] | None = None
    endpoint_id: str | None = None  # aws:SourceVpce of requests through it
    vpc_id: str | None = None  # aws:SourceVpc


def _ec2(placement: Placement) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[placement.account][placement.region]


def _groups(ec2: Any, ids: tuple[str, ...]) -> list[Any]:
    return [g for g in (ec2.get_security_group_from_id(i) for i in ids) if g is not None]


def _cidrs(ec2: Any, subnet_ids: tuple[str, ...] | list[str]) -> list[ipaddress.IPv4Network]:
    networks = []
    for subnet_id in subnet_ids:
        try:
            networks.append(ipaddress.ip_network(ec2.get_subnet(subnet_id).cidr_block))
        except Exception:
            continue
    return networks


def _port_matches(rule: Any, port: int) -> bool:
    if rule.ip_protocol == "-1":
        return True
    return rule.ip_protocol == "tcp" and rule.from_port is not None and rule.from_port <= port <= rule.to_port


def _block(rule: Any) -> ipaddress.IPv4Network | None:
    cidr = rule.ip_range.get("CidrIp") if rule.ip_range else None
    return ipaddress.ip_network(cidr, strict=False) if cidr else None  # type: ignore[return-value]


def _open_to_internet(rule: Any) -> bool:
    cidr = rule.ip_range.get("CidrIp") if rule.ip_range else None
    return bool(cidr) and ipaddress.ip_network(cidr, strict=False).prefixlen == 0


def _admits(rules: list[Any], port: int, group_ids: tuple[str, ...], networks: list[ipaddress.IPv4Network]) -> bool:
    """A group's rules are one set: a rule naming one of `group_ids` admits, or every subnet of the other side
    lies in some CIDR rule (moto keeps one rule per CIDR)."""
    matching = [r for r in rules if _port_matches(r, port)]
    if any(r.source_group and r.source_group.get("GroupId") in group_ids for r in matching):
        return True
    blocks = [b for b in (_block(r) for r in matching) if b is not None]
    return bool(networks) and all(any(n.subnet_of(b) for b in blocks) for n in networks)  # type: ignore[arg-type]


def _inbound(ec2: Any, groups: tuple[str, ...]) -> list[Any]:
    return [r for g in _groups(ec2, groups) for r in g.ingress_rules]


def _outbound(ec2: Any, client: Placement) -> list[Any]:
    return [r for g in _groups(ec2, client.security_group_ids) for r in g.egress_rules]


def ingress_admits(ec2: Any, groups: tuple[str, ...], port: int, client: Placement) -> bool:
    return _admits(_inbound(ec2, groups), port, client.security_group_ids, _cidrs(ec2, client.subnet_ids))


def egress_allows(ec2: Any, client: Placement, port: int, groups: tuple[str, ...], subnets: list[str]) -> bool:
    return _admits(_outbound(ec2, client), port, groups, _cidrs(ec2, subnets))


def refusal_to_store(client: Placement, store: Store) -> str | None:
    """Why `client` cannot reach `store` (None: it can)."""
    target = store.placement
    if not client.in_vpc:
        ec2 = _ec2(target)
        public = store.publicly_accessible and any(
            _port_matches(r, store.port) and _open_to_internet(r) for r in _inbound(ec2, target.security_group_ids)
        )
        if public:
            return None
        return f"{client.who} is outside any VPC and {target.who} in {target.vpc_id} has no public address open to it"
    if client.vpc_id != target.vpc_id:
        return f"{client.who} is in {client.vpc_id}, {target.who} in {target.vpc_id}"
    ec2 = _ec2(target)
    if not ingress_admits(ec2, target.security_group_ids, store.port, client):
        return (
            f"no inbound rule of {target.who}'s security groups {list(target.security_group_ids)} admits "
            f"{client.who} ({list(client.security_group_ids)}) on port {store.port}"
        )
    if not egress_allows(ec2, client, store.port, target.security_group_ids, list(target.subnet_ids)):
        return (
            f"no outbound rule of {client.who}'s security groups {list(client.security_group_ids)} lets it reach "
            f"{target.who} on port {store.port}"
        )
    return None


def _route_table(ec2: Any, vpc_id: str, subnet_id: str) -> Any | None:
    main = None
    for table in ec2.route_tables.values():
        if table.vpc_id != vpc_id:
            continue
        if subnet_id in table._associations.values():
            return table
        if table.main_association_id is not None:
            main = table
    return main


def _policy(endpoint: Any) -> dict[str, Any]:
    document = endpoint.policy_document
    return json.loads(document) if isinstance(document, str) else dict(document or {})


def _way_from_subnet(ec2: Any, client: Placement, subnet_id: str, service: str | None) -> Way | str:
    endpoints = [e for e in ec2.vpc_end_points.values() if e.vpc_id == client.vpc_id and e.state == "available"]
    name = f"com.amazonaws.{client.region}.{ENDPOINT_SERVICES.get(service or '', service)}" if service else None
    for endpoint in endpoints:
        kind = str(endpoint.vpc_endpoint_type or "Gateway").lower()  # CreateVpcEndpoint's default type
        if name and endpoint.service_name == name and kind == "interface" and endpoint.private_dns_enabled:
            # Private DNS sends the service's name to the endpoint's interfaces: its groups decide (none
            # given: the VPC's default group).
            groups = tuple(endpoint.security_group_ids) or _default_group(ec2, client.vpc_id)
            if not ingress_admits(ec2, groups, HTTPS, client):
                return f"the security groups {list(groups)} of {endpoint.id} ({name}) admit no HTTPS from {client.who}"
            if not egress_allows(ec2, client, HTTPS, groups, list(endpoint.subnet_ids or [])):
                return f"no outbound HTTPS rule of {client.who} reaches {endpoint.id} ({name})"
            return Way(f"interface endpoint {endpoint.id}", _policy(endpoint), endpoint.id, client.vpc_id)
    table = _route_table(ec2, client.vpc_id, subnet_id)
    for endpoint in endpoints:
        kind = str(endpoint.vpc_endpoint_type or "Gateway").lower()
        if name and endpoint.service_name == name and kind == "gateway" and table is not None:
            if table.id not in (endpoint.route_table_ids or []):
                continue
            prefix_list = endpoint.destination_prefix_list_id
            if not any(
                _port_matches(r, HTTPS) and ((prefix_list and r.prefix_list_id == prefix_list) or _open_to_internet(r))
                for r in _outbound(ec2, client)
            ):
                return f"no outbound HTTPS rule of {client.who} reaches the prefix list {prefix_list} of {endpoint.id}"
            return Way(f"gateway endpoint {endpoint.id}", _policy(endpoint), endpoint.id, client.vpc_id)
    nat = None
    for route in table.routes if table is not None else []:
        if route.destination_cidr_block == "0.0.0.0/0" and route.nat_gateway is not None:
            nat = route.nat_gateway
    if nat is not None and not _nat_reaches_internet(ec2, nat):
        return f"{nat.id} has no way to the internet (private, or its subnet has no route to an internet gateway)"
    if nat is not None:
        if not any(_port_matches(r, HTTPS) and _open_to_internet(r) for r in _outbound(ec2, client)):
            return f"no outbound HTTPS rule of {client.who} to 0.0.0.0/0 lets it through {nat.id}"
        return Way(f"NAT gateway {nat.id}")
    what = f"no VPC endpoint for {name}" if name else "no VPC endpoint serves it"
    return (
        f"{what} and no route to a NAT gateway from {subnet_id} ({table.id if table is not None else 'no route table'})"
    )


def _default_group(ec2: Any, vpc_id: str) -> tuple[str, ...]:
    default = ec2.get_default_security_group(vpc_id)
    return (default.id,) if default is not None else ()


def _nat_reaches_internet(ec2: Any, nat: Any) -> bool:
    if str(getattr(nat, "connectivity_type", "public") or "public").lower() != "public":
        return False
    subnet = ec2.get_subnet(nat.subnet_id)
    table = _route_table(ec2, subnet.vpc_id, nat.subnet_id)
    return table is not None and any(
        r.destination_cidr_block == "0.0.0.0/0" and r.gateway is not None and str(r.gateway.id).startswith("igw-")
        for r in table.routes
    )


def way_out(client: Placement, service: str | None, region: str | None = None) -> Way | str:
    """How `client` reaches `service`'s API in `region` (None: a host on the internet), or why it cannot.
    Endpoints serve their own region only: a call to another region's API needs the NAT route."""
    ec2 = _ec2(client)
    if region and region != client.region:
        service = None
    way: Way | str = f"{client.who} has no subnet"
    for subnet_id in client.subnet_ids:
        way = _way_from_subnet(ec2, client, subnet_id, service)
        if isinstance(way, str):
            return way
    return way


def placed(account: str, region: str, subnet_ids: list[str], group_ids: list[str], who: str) -> Placement:
    """Where a store created with these subnets and groups sits: without subnets, the region's default VPC
    (its subnets); without groups, its VPC's default security group, as the services place them."""
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[account][region]
    if subnet_ids:
        vpc_id = str(ec2.get_subnet(subnet_ids[0]).vpc_id)
    else:
        vpc_id = str(ec2.default_vpc.id) if ec2.default_vpc else ""
        subnet_ids = [s.id for zone in ec2.subnets.values() for s in zone.values() if s.vpc_id == vpc_id]
    if not group_ids and vpc_id:
        default = ec2.get_default_security_group(vpc_id)
        group_ids = [default.id] if default is not None else []
    return Placement(account, region, vpc_id, tuple(subnet_ids), tuple(group_ids), who)
