"""Cognito user pools refuse self sign-up and attribute writes as the pool and its app client decide."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.localcloud

PASSWORD = "Corr3ct-Horse!"


def pool_and_client(idp, name: str, admin_only: bool, write_attributes: list[str] | None) -> tuple[str, str]:
    pool = idp.create_user_pool(
        PoolName=name,
        UsernameAttributes=["email"],
        Schema=[{"Name": "tenant", "AttributeDataType": "String", "Mutable": True}],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": admin_only},
    )["UserPool"]["Id"]
    extra = {} if write_attributes is None else {"WriteAttributes": write_attributes}
    client = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"], **extra
    )["UserPoolClient"]["ClientId"]
    return pool, client


def refusal(call, **params) -> tuple[str, str]:
    with pytest.raises(ClientError) as refused:
        call(**params)
    return refused.value.response["Error"]["Code"], refused.value.response["Error"]["Message"]


def test_a_pool_for_administrators_only_refuses_self_sign_up(aws, unique):
    idp = aws("cognito-idp")
    pool, client = pool_and_client(idp, unique, admin_only=True, write_attributes=["email"])
    assert refusal(idp.sign_up, ClientId=client, Username="eve@example.com", Password=PASSWORD) == (
        "NotAuthorizedException",
        "SignUp is not permitted for this user pool",
    )
    assert idp.list_users(UserPoolId=pool)["Users"] == []


def test_an_open_pool_signs_up_a_user_with_the_attributes_its_client_may_write(aws, unique):
    idp = aws("cognito-idp")
    pool, client = pool_and_client(idp, unique, admin_only=False, write_attributes=["email"])
    idp.sign_up(ClientId=client, Username="ada@example.com", Password=PASSWORD)
    assert len(idp.list_users(UserPoolId=pool)["Users"]) == 1


def test_a_user_cannot_sign_up_with_an_attribute_the_client_may_not_write(aws, unique):
    idp = aws("cognito-idp")
    pool, client = pool_and_client(idp, unique, admin_only=False, write_attributes=["email"])
    attributes = [{"Name": "custom:tenant", "Value": "acme"}]
    assert refusal(
        idp.sign_up, ClientId=client, Username="eve@example.com", Password=PASSWORD, UserAttributes=attributes
    ) == ("NotAuthorizedException", "A client attempted to write unauthorized attribute")
    assert idp.list_users(UserPoolId=pool)["Users"] == []


def test_a_user_cannot_set_their_own_tenant_but_an_administrator_can(aws, unique):
    idp = aws("cognito-idp")
    pool, client = pool_and_client(idp, unique, admin_only=True, write_attributes=["email"])
    idp.admin_create_user(
        UserPoolId=pool,
        Username="eve@example.com",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "custom:tenant", "Value": "globex"}],
    )
    idp.admin_set_user_password(UserPoolId=pool, Username="eve@example.com", Password=PASSWORD, Permanent=True)
    token = idp.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "eve@example.com", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    attributes = [{"Name": "custom:tenant", "Value": "acme"}]
    assert refusal(idp.update_user_attributes, AccessToken=token, UserAttributes=attributes) == (
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    )
    idp.admin_update_user_attributes(UserPoolId=pool, Username="eve@example.com", UserAttributes=attributes)
    found = idp.admin_get_user(UserPoolId=pool, Username="eve@example.com")["UserAttributes"]
    assert {"Name": "custom:tenant", "Value": "acme"} in found


def test_a_client_without_write_attributes_may_write_any(aws, unique):
    idp = aws("cognito-idp")
    pool, client = pool_and_client(idp, unique, admin_only=False, write_attributes=None)
    idp.sign_up(
        ClientId=client,
        Username="ada@example.com",
        Password=PASSWORD,
        UserAttributes=[{"Name": "custom:tenant", "Value": "acme"}],
    )
    (user,) = idp.list_users(UserPoolId=pool)["Users"]
    assert {"Name": "custom:tenant", "Value": "acme"} in user["Attributes"]
