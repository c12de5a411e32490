"""The migration step's plain logic: numbering, the users' credentials, and the users the code and the
deployment must agree on (what the database does with them: tests/integration, P23 and P24)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.unit


class NoValue(Exception):
    pass


class FakeSecrets:
    """Secrets Manager's answers the step relies on: no value until one is put, then that value."""

    class exceptions:  # noqa: N801 - boto3's shape
        ResourceNotFoundException = NoValue

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values = dict(values or {})
        self.generated = 0

    def get_secret_value(self, SecretId: str) -> dict:  # noqa: N803
        if SecretId not in self.values:
            raise NoValue("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT")
        return {"SecretString": self.values[SecretId]}

    def get_random_password(self, PasswordLength: int, ExcludePunctuation: bool) -> dict:  # noqa: N803
        self.generated += 1
        return {"RandomPassword": f"generated{self.generated}".ljust(PasswordLength, "x")}

    def put_secret_value(self, SecretId: str, SecretString: str) -> None:  # noqa: N803
        self.values[SecretId] = SecretString


def test_a_user_gets_a_generated_password_once_and_keeps_it():
    from pattern_helpers import migrations

    secrets = FakeSecrets()
    first = migrations.password_of(secrets, "arn:reader", "article_reader")
    assert len(first) == migrations.PASSWORD_LENGTH
    assert json.loads(secrets.values["arn:reader"]) == {"username": "article_reader", "password": first}
    assert migrations.password_of(secrets, "arn:reader", "article_reader") == first
    assert secrets.generated == 1


class Denied(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.response = {"Error": {"Code": code}}


def raising(code: str):
    def call() -> None:
        raise Denied(code)

    return call


def test_access_denied_while_iam_applies_a_new_policy_is_retried_and_anything_else_is_not(monkeypatch):
    from pattern_helpers import migrations

    waits: list[float] = []
    monkeypatch.setattr(migrations.time, "sleep", waits.append)
    answers = iter([Denied("AccessDeniedException"), Denied("AccessDeniedException"), "read"])

    def call() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert migrations.patiently(call) == "read" and waits == [2.0, 4.0]
    with pytest.raises(Denied):
        migrations.patiently(raising("ResourceNotFoundException"))
    assert waits == [2.0, 4.0]
    waits.clear()
    with pytest.raises(Denied):
        migrations.patiently(raising("AccessDenied"))
    assert waits == [2.0, 4.0, 8.0]  # then it gives up


def test_a_secret_holding_another_users_credentials_is_refused():
    from pattern_helpers import migrations
    from pattern_helpers.settings import Misconfigured

    secrets = FakeSecrets({"arn:reader": json.dumps({"username": "article_writer", "password": "p"})})
    with pytest.raises(Misconfigured, match="must hold the credentials of database user article_reader"):
        migrations.password_of(secrets, "arn:reader", "article_reader")


def test_a_password_becomes_a_scram_verifier_that_does_not_contain_it():
    from pattern_helpers import migrations

    verifier = migrations.scram_verifier("pencil-and-paper", salt=b"0123456789abcdef")
    assert verifier.startswith("SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$") and "pencil" not in verifier
    assert verifier == migrations.scram_verifier("pencil-and-paper", salt=b"0123456789abcdef")
    assert verifier != migrations.scram_verifier("pencil-and-ink", salt=b"0123456789abcdef")
    assert migrations.scram_verifier("pencil-and-paper") != migrations.scram_verifier("pencil-and-paper")  # salted


@pytest.mark.parametrize("versions", [[2, 1], [1, 1], [0, 1], [1, 3, 2]])
def test_migrations_out_of_order_or_renumbered_are_refused(versions):
    from pattern_helpers import migrations

    with pytest.raises(ValueError, match="strictly increasing"):
        migrations.check([migrations.Migration(v, f"m{v}", ()) for v in versions])


def test_users_the_code_declares_and_the_deployment_gives_secrets_must_match():
    from pattern_helpers import migrations
    from pattern_helpers.settings import Misconfigured

    users = [migrations.User("article_reader", ()), migrations.User("article_writer", ())]
    with pytest.raises(
        Misconfigured, match=r"declares \(article_reader, article_writer\).*DB_USER_SECRETS: article_reader\)"
    ):
        migrations.run(object(), "reports", [], users, FakeSecrets(), {"article_reader": "arn:r"})


def test_db_user_secrets_maps_users_to_their_secrets_and_may_be_empty():
    from pattern_helpers import migrations

    assert migrations.user_secrets('{"article_reader": "arn:r"}') == {"article_reader": "arn:r"}
    assert migrations.user_secrets("") == {}


@pytest.mark.parametrize("raw", ["[]", '{"reader": ""}', "not json", '{"reader": 1}'])
def test_db_user_secrets_must_be_an_object_of_user_to_secret_arn(raw):
    from pattern_helpers import migrations
    from pattern_helpers.settings import Misconfigured

    with pytest.raises(Misconfigured, match="DB_USER_SECRETS"):
        migrations.user_secrets(raw)


@pytest.mark.parametrize("package", ["article_reports", "replica_sync"])
def test_each_pattern_declares_its_migrations_in_order_and_users_with_grants(package):
    import importlib

    from pattern_helpers import migrations

    schema = importlib.import_module(f"{package}.store")
    migrations.check(schema.MIGRATIONS)
    assert schema.USERS and all(user.grants for user in schema.USERS)
    assert all("{user}" in grant for user in schema.USERS for grant in user.grants)
