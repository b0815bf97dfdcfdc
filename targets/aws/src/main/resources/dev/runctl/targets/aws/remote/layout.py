# Lays out the workdir from a manifest of content-addressed blobs (runctl sync, on the instance).
import json, os, shutil, subprocess, sys

E = os.environ
work, state, blobs = E["RUNCTL_WORK"], E["RUNCTL_STATE"], E["RUNCTL_BLOBS"]
bucket, prefix, key, sha = E["RUNCTL_BUCKET"], E["RUNCTL_BLOB_PREFIX"], E["RUNCTL_MANIFEST_KEY"], E["RUNCTL_MANIFEST_SHA"]
required = json.loads(E["RUNCTL_REQUIRED"])
for d in (work, state, blobs):
    os.makedirs(d, exist_ok=True)
result = {"written": 0, "deleted": 0, "fetched": 0, "unchanged": False, "missing": [], "missing_blobs": []}
sha_file = os.path.join(state, "manifest.sha")
current = open(sha_file).read().strip() if os.path.exists(sha_file) else ""


# runctl's own AWS CLI calls retry as its SDK calls do (as runctl_aws in aws-cli.sh does).
AWS_ENV = dict(E)
AWS_ENV.setdefault("AWS_RETRY_MODE", "standard")
AWS_ENV.setdefault("AWS_MAX_ATTEMPTS", "10")


def aws(*args):
    p = subprocess.run(["aws", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=AWS_ENV)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
    return p.returncode == 0


def safe(path):
    parts = path.split("/")
    if path.startswith("/") or ".." in parts or "" in parts:
        raise SystemExit("refusing unsafe path in manifest: " + path)
    return os.path.join(work, *parts)


if current == sha:
    result["unchanged"] = True
else:
    new_file = os.path.join(state, "manifest.new")
    if not aws("s3", "cp", "--only-show-errors", "s3://%s/%s" % (bucket, key), new_file):
        raise SystemExit("cannot read the manifest s3://%s/%s: does the instance role allow s3:GetObject on the bucket?" % (bucket, key))
    new = json.load(open(new_file))["files"]
    old_path = os.path.join(state, "manifest.json")
    old = {f["p"]: f for f in json.load(open(old_path))["files"]} if os.path.exists(old_path) else {}
    need = sorted({f["s"] for f in new if not os.path.exists(os.path.join(blobs, f["s"]))})
    if len(need) > 200:
        aws("s3", "sync", "--only-show-errors", "s3://%s/%s" % (bucket, prefix), blobs)
    elif need:
        args = ["s3", "cp", "--recursive", "--only-show-errors", "s3://%s/%s" % (bucket, prefix), blobs, "--exclude", "*"]
        for h in need:
            args += ["--include", h]
        aws(*args)
    result["fetched"] = len([h for h in need if os.path.exists(os.path.join(blobs, h))])
    result["missing_blobs"] = [h for h in need if not os.path.exists(os.path.join(blobs, h))]
    if not result["missing_blobs"]:
        for f in new:
            dest = safe(f["p"])
            o = old.get(f["p"])
            if o and o["s"] == f["s"] and o["m"] == f["m"] and os.path.isfile(dest):
                continue
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)
            tmp = dest + ".runctl-tmp"
            shutil.copyfile(os.path.join(blobs, f["s"]), tmp)
            os.chmod(tmp, f["m"])
            os.replace(tmp, dest)
            result["written"] += 1
        keep = {f["p"] for f in new}
        for p in old:
            if p in keep:
                continue
            dest = safe(p)
            if os.path.isfile(dest) or os.path.islink(dest):
                os.remove(dest)
                result["deleted"] += 1
            parent = os.path.dirname(dest)
            while parent != work and parent.startswith(work) and os.path.isdir(parent) and not os.listdir(parent):
                os.rmdir(parent)
                parent = os.path.dirname(parent)
        os.replace(new_file, old_path)
        with open(sha_file + ".tmp", "w") as out:
            out.write(sha)
        os.replace(sha_file + ".tmp", sha_file)
result["missing"] = [p for p in required if not os.path.exists(os.path.join(work, p))]
print("@@result " + json.dumps(result))
