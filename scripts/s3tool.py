"""Small S3 helper for the demo and benchmark scripts (boto3, from the moto venv).

  s3tool.py put-random BUCKET KEY SIZE_BYTES [--content-type T] [--meta k=v ...]
  s3tool.py assemble BUCKET KEY BASE_KEY COPIES [--checksum CRC64NVME]
                                                  # KEY = COPIES x BASE_KEY, via UploadPartCopy
                                                  # (with a full-object checksum if given)
  s3tool.py put-many BUCKET PREFIX COUNT SIZE     # COUNT objects PREFIX000000.. of SIZE bytes
  s3tool.py delete BUCKET KEY
  s3tool.py size BUCKET KEY                       # the object's size in bytes (HEAD)
  s3tool.py uploads BUCKET                        # incomplete multipart uploads, one per line
  s3tool.py check BUCKET PREFIX COUNT SIZE        # exit 1 unless PREFIX holds exactly COUNT
                                                  # objects of SIZE bytes each (a benchmark's copy)
  s3tool.py make-buckets BUCKET...                # create the buckets that are not there yet

Connection from the environment: S3TOOL_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
"""
import argparse
import concurrent.futures
import os
import sys

import boto3
from botocore.config import Config


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3TOOL_ENDPOINT"],
        region_name="us-east-1",
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )


def put_random(a):
    meta = dict(kv.split("=", 1) for kv in a.meta)
    extra = {"ContentType": a.content_type} if a.content_type else {}
    if a.checksum:
        extra["ChecksumAlgorithm"] = a.checksum
    client().put_object(Bucket=a.bucket, Key=a.key, Body=os.urandom(a.size), Metadata=meta, **extra)


def assemble(a):
    s3 = client()
    extra = {"ChecksumAlgorithm": a.checksum, "ChecksumType": "FULL_OBJECT"} if a.checksum else {}
    up = s3.create_multipart_upload(Bucket=a.bucket, Key=a.key, **extra)
    uid = up["UploadId"]

    def part(n):
        r = s3.upload_part_copy(Bucket=a.bucket, Key=a.key, UploadId=uid, PartNumber=n,
                                CopySource={"Bucket": a.bucket, "Key": a.base})
        done = {"PartNumber": n, "ETag": r["CopyPartResult"]["ETag"]}
        done.update({k: v for k, v in r["CopyPartResult"].items() if k.startswith("Checksum")
                     and k != "ChecksumType"})
        return done

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        parts = list(pool.map(part, range(1, a.copies + 1)))
    s3.complete_multipart_upload(Bucket=a.bucket, Key=a.key, UploadId=uid,
                                 MultipartUpload={"Parts": parts})


def put_many(a):
    s3 = client()
    body = b"x" * a.size

    extra = {"ChecksumAlgorithm": a.checksum} if a.checksum else {}

    def put(i):
        s3.put_object(Bucket=a.bucket, Key=f"{a.prefix}{i:06d}", Body=body, **extra)

    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(put, range(a.count)))


def delete(a):
    client().delete_object(Bucket=a.bucket, Key=a.key)


def size(a):
    print(client().head_object(Bucket=a.bucket, Key=a.key)["ContentLength"])


def uploads(a):
    for u in client().list_multipart_uploads(Bucket=a.bucket).get("Uploads", []):
        print(u["Key"], u["UploadId"])


def check(a):
    """A benchmark's figure stands only for a copy that wrote what it claims:
    exactly COUNT objects under PREFIX, each of SIZE bytes."""
    count, wrong = 0, []
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=a.bucket, Prefix=a.prefix)
    for page in pages:
        for o in page.get("Contents", []):
            count += 1
            if o["Size"] != a.size:
                wrong.append(f"{o['Key']} ({o['Size']} bytes)")
    if count != a.count or wrong:
        sizes = f"; not {a.size} bytes: {', '.join(wrong[:5])}" if wrong else ""
        sys.exit(f"s3://{a.bucket}/{a.prefix} holds {count} objects (expected {a.count} of "
                 f"{a.size} bytes){sizes}")


def make_buckets(a):
    c = client()
    for bucket in a.buckets:
        try:
            c.create_bucket(Bucket=bucket)
        except c.exceptions.BucketAlreadyOwnedByYou:
            pass


p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd", required=True)
s = sub.add_parser("put-random")
s.add_argument("bucket"); s.add_argument("key"); s.add_argument("size", type=int)
s.add_argument("--content-type"); s.add_argument("--meta", action="append", default=[])
s.add_argument("--checksum")
s.set_defaults(f=put_random)
s = sub.add_parser("assemble")
s.add_argument("bucket"); s.add_argument("key"); s.add_argument("base"); s.add_argument("copies", type=int)
s.add_argument("--checksum")
s.set_defaults(f=assemble)
s = sub.add_parser("put-many")
s.add_argument("bucket"); s.add_argument("prefix"); s.add_argument("count", type=int); s.add_argument("size", type=int)
s.add_argument("--checksum")
s.set_defaults(f=put_many)
s = sub.add_parser("delete")
s.add_argument("bucket"); s.add_argument("key")
s.set_defaults(f=delete)
s = sub.add_parser("size")
s.add_argument("bucket"); s.add_argument("key")
s.set_defaults(f=size)
s = sub.add_parser("uploads")
s.add_argument("bucket")
s.set_defaults(f=uploads)
s = sub.add_parser("check")
s.add_argument("bucket"); s.add_argument("prefix"); s.add_argument("count", type=int)
s.add_argument("size", type=int)
s.set_defaults(f=check)
s = sub.add_parser("make-buckets")
s.add_argument("buckets", nargs="+")
s.set_defaults(f=make_buckets)
args = p.parse_args()
args.f(args)
