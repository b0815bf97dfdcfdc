# Lays out the workdir from a manifest of content-addressed blobs (runctl sync, on the instance).
import hashlib, json, os, re, shutil, subprocess, sys, threading, time, zipfile

E = os.environ
work, state, blobs = E["RUNCTL_WORK"], E["RUNCTL_STATE"], E["RUNCTL_BLOBS"]
bucket, prefix, key, sha = E["RUNCTL_BUCKET"], E["RUNCTL_BLOB_PREFIX"], E["RUNCTL_MANIFEST_KEY"], E["RUNCTL_MANIFEST_SHA"]
required = json.loads(E["RUNCTL_REQUIRED"])
for d in (work, state, blobs):
    os.makedirs(d, exist_ok=True)
result = {"written": 0, "deleted": 0, "fetched": 0, "unchanged": False, "missing": [], "missing_blobs": [],
          "access": "", "access_error": ""}
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
        aws.error = p.stderr
    return p.returncode == 0


def s3_client():
    """botocore in this process when the image's python3 has it (the AWS CLI's start costs a
    second or more: this pull needs one object, or two); else None, and the AWS CLI does it."""
    try:
        import botocore.config, botocore.session
        return botocore.session.get_session().create_client(
            "s3", config=botocore.config.Config(retries={"mode": "standard", "max_attempts": 10}))
    except Exception:
        return None


S3 = s3_client()


def get(key, dest):
    """Copies s3://bucket/key to dest; False (the error in aws.error) when it cannot."""
    if S3 is None:
        return aws("s3", "cp", "--only-show-errors", "s3://%s/%s" % (bucket, key), dest)
    try:
        body = S3.get_object(Bucket=bucket, Key=key)["Body"]
        with open(dest + ".tmp", "wb") as out:
            shutil.copyfileobj(body, out, 1 << 20)
        os.replace(dest + ".tmp", dest)
        return True
    except Exception as e:
        sys.stderr.write(str(e) + "\n")
        aws.error = str(e)
        return False


def put(key, path):
    """Copies the file path to s3://bucket/key; the error text, or None when it was written."""
    if S3 is None:
        p = subprocess.run(["aws", "s3", "cp", "--only-show-errors", path, "s3://%s/%s" % (bucket, key)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=AWS_ENV)
        return (p.stderr or "exit %d" % p.returncode) if p.returncode != 0 else None
    try:
        with open(path, "rb") as body:
            S3.put_object(Bucket=bucket, Key=key, Body=body)
        return None
    except Exception as e:
        return str(e) or repr(e)


class Probe(threading.Thread):
    """Writes the access probe object beside the pull, in a thread of its own."""

    def __init__(self, key):
        super().__init__()
        self.key, self.path, self.error = key, os.path.join(state, "access.probe"), None
        with open(self.path, "w") as f:
            f.write("ok\n")
        self.start()

    def run(self):
        self.error = put(self.key, self.path)

    def wait(self):
        """The error text, or None when the probe was written."""
        self.join()
        return self.error


START = time.time()
TIMES = ["through " + ("botocore" if S3 else "the AWS CLI")]


def took(what, since):
    TIMES.append("%s %.2f s" % (what, time.time() - since))


def done():
    """Prints the result, after the access probe (when one runs) has ended."""
    if probe is not None:
        since = time.time()
        err = probe.wait()
        took("waiting for the access probe", since)
        if err is not None and result["access"] in ("", "ok"):
            result["access"], result["access_error"] = "noput", err
        elif result["access"] == "":
            result["access"] = "ok"
    took("in all", START)
    print("@@times " + ", ".join(TIMES))
    print("@@result " + json.dumps(result))
    sys.exit(0)


# The first pull on an instance checks that its role may write under runctl/ (a probe object,
# written in a thread while this one reads) and read (the manifest read below).
probe = Probe(E["RUNCTL_ACCESS_KEY"]) if E.get("RUNCTL_ACCESS_KEY") else None


def safe(path):
    parts = path.split("/")
    if path.startswith("/") or ".." in parts or "" in parts:
        raise SystemExit("refusing unsafe path in manifest: " + path)
    return os.path.join(work, *parts)


if current == sha:
    result["unchanged"] = True
else:
    new_file = os.path.join(state, "manifest.new")
    pack = E.get("RUNCTL_PACK_KEY", "")
    if pack and not os.path.isfile(os.path.join(blobs, sha)):
        # the manifest and the small files in ONE object (sync.upload wrote it): each entry is
        # kept when its content matches its name; what it lacks comes from the blobs below
        since = time.time()
        pack_file = os.path.join(state, "pack.zip")
        if get(pack, pack_file):
            kept = 0
            with zipfile.ZipFile(pack_file) as z:
                for name in z.namelist():
                    dest = os.path.join(blobs, name)
                    if not re.fullmatch("[0-9a-f]{64}", name) or os.path.exists(dest):
                        continue
                    data = z.read(name)
                    if hashlib.sha256(data).hexdigest() == name:
                        with open(dest + ".tmp", "wb") as out:
                            out.write(data)
                        os.replace(dest + ".tmp", dest)
                        kept += 1
            os.remove(pack_file)
            took("pack of %d" % kept, since)
    elif int(E.get("RUNCTL_FILES") or 0) > 200 and not os.listdir(blobs):
        # the first pull of many files: the bucket's blobs, the manifest (a blob too) among them,
        # through ONE AWS CLI (each takes a second to start)
        since = time.time()
        aws("s3", "sync", "--only-show-errors", "s3://%s/%s" % (bucket, prefix), blobs)
        took("every blob", since)
    since = time.time()
    if os.path.isfile(os.path.join(blobs, sha)):
        shutil.copyfile(os.path.join(blobs, sha), new_file)
    elif not get(key, new_file):
        result["access"], result["access_error"] = "noget", "cannot read the manifest s3://%s/%s: %s" % (bucket, key, aws.error)
        done()
    else:
        took("manifest", since)
    new = json.load(open(new_file))["files"]
    old_path = os.path.join(state, "manifest.json")
    old = {f["p"]: f for f in json.load(open(old_path))["files"]} if os.path.exists(old_path) else {}
    need = sorted({f["s"] for f in new if not os.path.exists(os.path.join(blobs, f["s"]))})
    since = time.time()
    if len(need) > 200:
        aws("s3", "sync", "--only-show-errors", "s3://%s/%s" % (bucket, prefix), blobs)
    elif need:
        args = ["s3", "cp", "--recursive", "--only-show-errors", "s3://%s/%s" % (bucket, prefix), blobs, "--exclude", "*"]
        for h in need:
            args += ["--include", h]
        aws(*args)
    if need:
        took("%d blobs" % len(need), since)
    since = time.time()
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
        took("layout", since)
result["missing"] = [p for p in required if not os.path.exists(os.path.join(work, p))]
done()
