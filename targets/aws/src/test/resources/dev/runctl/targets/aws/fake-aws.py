#!/usr/bin/env python3
# A stand-in for the AWS CLI's `s3 cp` and `s3 sync` whose bucket is a folder ($FAKE_S3/<bucket>/),
# for tests of the instance scripts. FAKE_DENY=put or get answers every write or read the way S3
# answers a role without that permission.
import os, shutil, sys

args = [a for a in sys.argv[1:] if a != "--only-show-errors"]
root = os.environ["FAKE_S3"]
deny = os.environ.get("FAKE_DENY", "")
with open(os.path.join(root, "calls.log"), "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\n")


def local(url):
    return os.path.join(root, url[len("s3://"):])


def fail(op):
    sys.stderr.write("An error occurred (AccessDenied) when calling the %s operation: Access Denied\n" % op)
    sys.exit(1)


if args[:2] == ["s3", "cp"] and "--recursive" not in args:
    src, dst = args[2], args[3]
    if dst.startswith("s3://"):
        if deny == "put":
            fail("PutObject")
        os.makedirs(os.path.dirname(local(dst)), exist_ok=True)
        shutil.copyfile(src, local(dst))
    else:
        if deny == "get":
            fail("GetObject")
        if not os.path.exists(local(src)):
            sys.stderr.write("fatal error: An error occurred (404) when calling the HeadObject operation: Key \"%s\" does not exist\n" % src)
            sys.exit(1)
        shutil.copyfile(local(src), dst)
elif args[:2] in (["s3", "cp"], ["s3", "sync"]):
    if deny == "get":
        fail("ListObjectsV2")
    paths = [a for a in args[2:] if not a.startswith("--")]
    src, dst = paths[0], paths[1]
    include = [args[i + 1] for i, a in enumerate(args) if a == "--include"]
    folder = local(src)
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        if "--recursive" in args and name not in include:
            continue
        shutil.copyfile(os.path.join(folder, name), os.path.join(dst, name))
else:
    sys.stderr.write("fake aws: unsupported " + " ".join(sys.argv[1:]) + "\n")
    sys.exit(2)
