"""RDS PostgreSQL instances and clusters are real databases on loopback, reachable as the RDS API says."""

from __future__ import annotations

import json

import pytest

from conftest import postgres_instance

pytestmark = pytest.mark.localcloud


def connect(endpoint: dict, user: str, password: str, database: str, tls: bool = True):
    import ssl

    import pg8000.native

    context = False  # pg8000: None would try TLS first
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return pg8000.native.Connection(
        user,
        host=endpoint["Address"],
        port=endpoint["Port"],
        password=password,
        database=database,
        timeout=10,
        ssl_context=context,
    )


def test_a_postgres_instance_is_a_database_its_master_user_can_use(aws, unique):
    rds = aws("rds")
    created = rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="app_owner",
        MasterUserPassword="S3cret-pass",
        DBName="orders",
    )["DBInstance"]
    endpoint = rds.describe_db_instances(DBInstanceIdentifier=unique)["DBInstances"][0]["Endpoint"]
    assert endpoint["Address"].startswith("127.0.") and endpoint["Port"] == 5432  # an address of its own
    assert created["DBName"] == "orders"
    db = connect(endpoint, "app_owner", "S3cret-pass", "orders", tls=True)
    assert db.run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == [[True]]  # as RDS forces it
    db.run("CREATE TABLE items (id text PRIMARY KEY, updated numeric)")
    db.run("INSERT INTO items VALUES ('a', 1)")
    assert db.run("SELECT id, updated FROM items") == [["a", 1]]
    db.close()


def test_the_master_user_may_create_least_privilege_users_as_rds_master_users_may(aws, unique):
    import pg8000.native

    endpoint = postgres_instance(aws, unique, "owner5", "right-pass-5", "d5")
    master = connect(endpoint, "owner5", "right-pass-5", "d5")
    assert master.run("SELECT pg_has_role('owner5', 'rds_superuser', 'member')") == [[True]]
    master.run("CREATE TABLE notes (id text)")
    user = f"reader_{unique.replace('-', '_')}"
    master.run(f"CREATE ROLE {user} LOGIN PASSWORD 'reader-pass-5'")
    master.run(f"GRANT SELECT ON notes TO {user}")
    master.close()
    reader = connect(endpoint, user, "reader-pass-5", "d5")
    assert reader.run("SELECT count(*) FROM notes") == [[0]]
    with pytest.raises(pg8000.native.DatabaseError, match="permission denied for table notes"):
        reader.run("INSERT INTO notes VALUES ('x')")
    reader.close()


def test_a_wrong_password_is_refused(aws, unique):
    import pg8000.native

    endpoint = postgres_instance(aws, unique, "owner2", "right-pass-1", "d2")
    with pytest.raises(pg8000.native.DatabaseError, match="password authentication failed"):
        connect(endpoint, "owner2", "wrong-pass-1", "d2")


def test_a_plain_text_session_is_refused_as_rds_force_ssl_refuses_it(aws, unique):
    import pg8000.native

    endpoint = postgres_instance(aws, unique, "owner3", "right-pass-3", "d3", EngineVersion="16")
    # PostgreSQL 15 and later: the default parameter group forces SSL.
    refusal = 'no pg_hba.conf entry for host "127.0.0.1", user "owner3", database "d3", no encryption'
    with pytest.raises(pg8000.native.DatabaseError, match=refusal):
        connect(endpoint, "owner3", "right-pass-3", "d3", tls=False)
    connect(endpoint, "owner3", "right-pass-3", "d3", tls=True).close()


def test_rds_force_ssl_in_the_instance_parameter_group_decides_and_applies_at_once(aws, unique):
    import pg8000.native

    rds = aws("rds")
    rds.create_db_parameter_group(
        DBParameterGroupName=unique, DBParameterGroupFamily="postgres16", Description="plain text allowed"
    )

    def force_ssl(value: str) -> None:
        rds.modify_db_parameter_group(
            DBParameterGroupName=unique,
            Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": value, "ApplyMethod": "immediate"}],
        )

    force_ssl("0")
    assert rds.describe_db_parameters(DBParameterGroupName=unique, Source="user")["Parameters"] == [
        {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "immediate", "Source": "user"}
    ]
    endpoint = postgres_instance(
        aws, unique, "owner4", "right-pass-4", "d4", EngineVersion="16", DBParameterGroupName=unique
    )
    db = connect(endpoint, "owner4", "right-pass-4", "d4", tls=False)
    assert db.run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == [[False]]
    db.close()
    force_ssl("1")  # a dynamic parameter: the next session is refused
    with pytest.raises(pg8000.native.DatabaseError, match="no encryption"):
        connect(endpoint, "owner4", "right-pass-4", "d4", tls=False)


def test_an_aurora_cluster_and_its_instance_share_one_database_and_deleting_drops_it(aws, unique):
    import pg8000.native

    rds = aws("rds")
    cluster = rds.create_db_cluster(
        DBClusterIdentifier=unique,
        Engine="aurora-postgresql",
        MasterUsername="reporter",
        MasterUserPassword="Rep0rts-pass",
        DatabaseName="reports",
    )["DBCluster"]
    assert cluster["Endpoint"] == "127.0.0.1"
    rds.create_db_instance(
        DBInstanceIdentifier=f"{unique}-1",
        DBClusterIdentifier=unique,
        Engine="aurora-postgresql",
        DBInstanceClass="db.serverless",
    )
    instance = rds.describe_db_instances(DBInstanceIdentifier=f"{unique}-1")["DBInstances"][0]["Endpoint"]
    assert instance["Port"] == cluster["Port"]
    db = connect({"Address": cluster["Endpoint"], "Port": cluster["Port"]}, "reporter", "Rep0rts-pass", "reports")
    assert db.run("SELECT current_database()") == [["reports"]]
    db.close()
    rds.delete_db_instance(DBInstanceIdentifier=f"{unique}-1", SkipFinalSnapshot=True)
    rds.delete_db_cluster(DBClusterIdentifier=unique, SkipFinalSnapshot=True)
    with pytest.raises(pg8000.native.DatabaseError):
        connect({"Address": "127.0.0.1", "Port": cluster["Port"]}, "reporter", "Rep0rts-pass", "reports")


def test_a_managed_master_password_is_the_one_in_the_secret_rds_names(aws, unique):
    rds = aws("rds")
    created = rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="managed_owner",
        DBName="vault",
        ManageMasterUserPassword=True,
    )["DBInstance"]
    secret = aws("secretsmanager").get_secret_value(SecretId=created["MasterUserSecret"]["SecretArn"])
    credentials = json.loads(secret["SecretString"])
    endpoint = rds.describe_db_instances(DBInstanceIdentifier=unique)["DBInstances"][0]["Endpoint"]
    db = connect(endpoint, credentials["username"], credentials["password"], "vault")
    assert db.run("SELECT current_user") == [["managed_owner"]]
    db.close()


def test_instances_created_at_once_each_get_their_database_and_master_user(tmp_path):
    """Terraform creates a composition's instances in parallel: the roles they share are made once."""
    from concurrent.futures import ThreadPoolExecutor

    from localcloud.rds.postgres import PostgresServer

    server = PostgresServer(tmp_path)
    server.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            ports = list(pool.map(lambda n: server.create_database(f"db{n}", f"owner{n}", f"pass-{n}-xyz"), range(8)))
        assert len(set(ports)) == 1
        assert sorted(server.usage()) >= [f"db{n}" for n in range(8)]
    finally:
        server.stop()


def test_stopping_the_server_stops_postgres_and_removes_its_private_folder(tmp_path):
    """The server behind RDS, driven directly: it starts on first use and is gone after stop."""
    import socket

    from localcloud.rds.postgres import PostgresServer

    server = PostgresServer(tmp_path)
    port = server.create_database("probe", "probe_owner", "probe-pass-1")
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    data_dir = server.data_dir
    server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    assert not data_dir.exists() or not (data_dir / "postmaster.pid").exists()


def test_each_instance_has_a_resource_id_of_its_own_that_finds_it(aws, unique):
    rds = aws("rds")
    ids = []
    for suffix in ("a", "b"):
        ids.append(
            rds.create_db_instance(
                DBInstanceIdentifier=f"{unique}-{suffix}",
                Engine="mysql",
                DBInstanceClass="db.t4g.micro",
                AllocatedStorage=20,
                MasterUsername="admin1",
                MasterUserPassword="S3cret-pass",
            )["DBInstance"]["DbiResourceId"]
        )
    assert ids[0] != ids[1] and all(i.startswith("db-") and len(i) == 29 for i in ids)
    found = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [ids[1]]}])["DBInstances"]
    assert [d["DBInstanceIdentifier"] for d in found] == [f"{unique}-b"]


def test_a_major_version_alone_runs_its_default_minor_in_its_parameter_group_family(aws, unique):
    rds = aws("rds")
    created = rds.create_db_instance(
        DBInstanceIdentifier=unique,
        Engine="postgres",
        EngineVersion="16",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="app_owner",
        MasterUserPassword="S3cret-pass",
    )["DBInstance"]
    try:
        major, minor = created["EngineVersion"].split(".")
        assert major == "16" and int(minor) >= 9
        assert [g["DBParameterGroupName"] for g in created["DBParameterGroups"]] == ["default.postgres16"]
    finally:
        rds.delete_db_instance(DBInstanceIdentifier=unique, SkipFinalSnapshot=True)


@pytest.mark.parametrize("version", ["16.3", "16.8", "12", "16.x"])
def test_a_version_rds_no_longer_creates_is_refused_as_rds_refuses_it(aws, unique, version):
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as refused:
        aws("rds").create_db_instance(
            DBInstanceIdentifier=unique,
            Engine="postgres",
            EngineVersion=version,
            DBInstanceClass="db.t4g.micro",
            AllocatedStorage=20,
            MasterUsername="app_owner",
            MasterUserPassword="S3cret-pass",
        )
    error = refused.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterCombination",
        f"Cannot find version {version} for postgres",
    )
