"""TagResource, UntagResource, ListResourceTags."""

import uuid

import pytest

import e2e_helpers as h
from e2e_helpers import raises_aws


def tags_of(kms, key_id, **kwargs):
    out = {}
    for page in kms.get_paginator("list_resource_tags").paginate(KeyId=key_id, **kwargs):
        for tag in page["Tags"]:
            assert set(tag) == {"TagKey", "TagValue"}, tag
            assert tag["TagKey"] not in out, f"tag {tag['TagKey']} listed twice"
            out[tag["TagKey"]] = tag["TagValue"]
    return out


def test_new_key_has_no_tags(kms, key):
    resp = kms.list_resource_tags(KeyId=key["KeyId"])
    assert resp["Tags"] == []
    assert resp["Truncated"] is False


def test_tag_list_untag(kms, key):
    resp = kms.tag_resource(KeyId=key["KeyId"], Tags=[
        {"TagKey": "team", "TagValue": "payments"},
        {"TagKey": "cost-center", "TagValue": "1234"},
    ])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(kms, key["KeyId"]) == {"team": "payments", "cost-center": "1234"}

    resp = kms.untag_resource(KeyId=key["KeyId"], TagKeys=["team"])
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(kms, key["KeyId"]) == {"cost-center": "1234"}


def test_tag_by_key_arn(kms, key):
    kms.tag_resource(KeyId=key["Arn"], Tags=[{"TagKey": "a", "TagValue": "1"}])
    assert tags_of(kms, key["Arn"]) == {"a": "1"}
    kms.untag_resource(KeyId=key["Arn"], TagKeys=["a"])
    assert tags_of(kms, key["KeyId"]) == {}


def test_tag_overwrites_value(kms, key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "env", "TagValue": "dev"}])
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "env", "TagValue": "prod"}])
    assert tags_of(kms, key["KeyId"]) == {"env": "prod"}


def test_tag_keys_are_case_sensitive(kms, key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "Env", "TagValue": "A"},
                                               {"TagKey": "env", "TagValue": "b"}])
    assert tags_of(kms, key["KeyId"]) == {"Env": "A", "env": "b"}


def test_empty_tag_value_is_allowed(kms, key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "flag", "TagValue": ""}])
    assert tags_of(kms, key["KeyId"]) == {"flag": ""}


def test_unicode_tags(kms, key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "équipe", "TagValue": "paiements é"}])
    assert tags_of(kms, key["KeyId"]) == {"équipe": "paiements é"}


def test_untag_missing_tag_is_fine(kms, key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "keep", "TagValue": "me"}])
    kms.untag_resource(KeyId=key["KeyId"], TagKeys=["never-set"])
    assert tags_of(kms, key["KeyId"]) == {"keep": "me"}


def test_tags_are_per_key(kms, key, other_key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "owner", "TagValue": "one"}])
    kms.tag_resource(KeyId=other_key["KeyId"], Tags=[{"TagKey": "owner", "TagValue": "two"}])
    assert tags_of(kms, key["KeyId"]) == {"owner": "one"}
    assert tags_of(kms, other_key["KeyId"]) == {"owner": "two"}


def test_list_resource_tags_paging(kms, key):
    wanted = {f"k{i:02d}": f"v{i}" for i in range(7)}
    kms.tag_resource(KeyId=key["KeyId"],
                     Tags=[{"TagKey": k, "TagValue": v} for k, v in wanted.items()])
    pages = h.walk_pages(kms.list_resource_tags, "Tags", limit=3, KeyId=key["KeyId"])
    assert len(pages) >= 3
    got = [(t["TagKey"], t["TagValue"]) for p in pages for t in p["Tags"]]
    assert len(got) == 7
    assert dict(got) == wanted
    assert tags_of(kms, key["KeyId"], PaginationConfig={"PageSize": 2}) == wanted


def test_tag_key_too_long(kms, key):
    with raises_aws("ValidationException") as err:
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "k" * 129, "TagValue": "v"}])
    assert "tagKey" in err.message, err.message
    assert tags_of(kms, key["KeyId"]) == {}


def test_tag_value_too_long(kms, key):
    with raises_aws("ValidationException") as err:
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "k", "TagValue": "v" * 257}])
    assert "tagValue" in err.message, err.message


def test_empty_tag_key_is_refused(kms, key):
    with raises_aws("ValidationException"):
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "", "TagValue": "v"}])


def test_reserved_aws_tag_prefix(kms, key):
    # Tag keys starting with "aws:" are reserved (KMS developer guide, tagging keys). The code
    # AWS uses for it is TagException per the API reference's error list; message not checked.
    with raises_aws("TagException"):
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "aws:owner", "TagValue": "me"}])
    assert tags_of(kms, key["KeyId"]) == {}


def test_tag_missing_key(kms):
    missing = str(uuid.uuid4())
    with raises_aws("NotFoundException"):
        kms.tag_resource(KeyId=missing, Tags=[{"TagKey": "a", "TagValue": "b"}])
    with raises_aws("NotFoundException"):
        kms.untag_resource(KeyId=missing, TagKeys=["a"])
    with raises_aws("NotFoundException"):
        kms.list_resource_tags(KeyId=missing)


def test_tag_resource_does_not_accept_an_alias(kms, key, alias_for):
    # TagResource takes a key ID or key ARN only (API reference); the exact error is not
    # documented, so only "refused, nothing tagged" is checked.
    alias = alias_for(key["KeyId"])
    with raises_aws(("NotFoundException", "ValidationException", "InvalidArnException")):
        kms.tag_resource(KeyId=alias, Tags=[{"TagKey": "a", "TagValue": "b"}])
    assert tags_of(kms, key["KeyId"]) == {}


def test_tags_on_disabled_key(kms, key):
    kms.disable_key(KeyId=key["KeyId"])
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "state", "TagValue": "disabled"}])
    assert tags_of(kms, key["KeyId"]) == {"state": "disabled"}


def test_tags_on_pending_deletion_key(kms, key):
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "before", "TagValue": "1"}])
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    # Listing still works; changing tags does not (key-state table in the KMS developer guide).
    assert tags_of(kms, key["KeyId"]) == {"before": "1"}
    with raises_aws("KMSInvalidStateException"):
        kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "after", "TagValue": "2"}])
    with raises_aws("KMSInvalidStateException"):
        kms.untag_resource(KeyId=key["KeyId"], TagKeys=["before"])
    assert tags_of(kms, key["KeyId"]) == {"before": "1"}
