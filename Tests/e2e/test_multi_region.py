"""Multi-Region keys end to end: create an mrk- key in us-east-1, replicate it to eu-west-1,
encrypt in one Region and decrypt in the other."""


def test_ciphertext_crosses_regions(fresh_account):
    east = fresh_account.client("us-east-1")
    west = fresh_account.client("eu-west-1")

    primary = east.create_key(Description="primary", MultiRegion=True)["KeyMetadata"]
    key_id = primary["KeyId"]
    assert key_id.startswith("mrk-") and len(key_id) == 36
    assert primary["MultiRegion"] is True
    config = primary["MultiRegionConfiguration"]
    assert config["MultiRegionKeyType"] == "PRIMARY"
    assert config["PrimaryKey"] == {"Arn": primary["Arn"], "Region": "us-east-1"}
    assert config["ReplicaKeys"] == []

    replica = east.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1", Description="replica",
                                 Tags=[{"TagKey": "site", "TagValue": "dr"}])
    meta = replica["ReplicaKeyMetadata"]
    assert meta["KeyId"] == key_id
    assert meta["Arn"] == f"arn:aws:kms:eu-west-1:{fresh_account.id}:key/{key_id}"
    assert meta["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    assert replica["ReplicaTags"] == [{"TagKey": "site", "TagValue": "dr"}]

    described = east.describe_key(KeyId=key_id)["KeyMetadata"]
    assert described["Description"] == "primary"
    assert described["MultiRegionConfiguration"]["ReplicaKeys"] == [{"Arn": meta["Arn"], "Region": "eu-west-1"}]
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["Description"] == "replica"
    assert west.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "site", "TagValue": "dr"}]
    assert east.list_resource_tags(KeyId=key_id)["Tags"] == []

    blob = east.encrypt(KeyId=key_id, Plaintext=b"across the ocean",
                        EncryptionContext={"table": "orders"})["CiphertextBlob"]
    out = west.decrypt(CiphertextBlob=blob, EncryptionContext={"table": "orders"})
    assert out["Plaintext"] == b"across the ocean"
    assert out["KeyId"] == meta["Arn"]

    back = west.encrypt(KeyId=key_id, Plaintext=b"and back")["CiphertextBlob"]
    assert east.decrypt(CiphertextBlob=back)["Plaintext"] == b"and back"

    east.update_primary_region(KeyId=key_id, PrimaryRegion="eu-west-1")
    moved = west.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert moved["MultiRegionKeyType"] == "PRIMARY"
    assert [r["Region"] for r in moved["ReplicaKeys"]] == ["us-east-1"]
