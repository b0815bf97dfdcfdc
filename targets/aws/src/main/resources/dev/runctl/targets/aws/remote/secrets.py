# Fetches one command's secrets on the instance, through the instance's role, into a 0600 file of
# shell assignments (argv[1]) that the wrapper sources and deletes. RUNCTL_SECRETS lists them (names
# and where they live, never a value). Values reach no argv, stdout or stderr: a failure prints
# "@@secret-failed NAME CODE DETAIL" (CODE: the AWS error code, or NoKey, NotJson, Empty,
# Incomplete, NoCli) and exits 3.
import json, os, re, shlex, subprocess, sys

out_path = sys.argv[1]
items = json.loads(os.environ["RUNCTL_SECRETS"])
env = dict(os.environ)
env.pop("RUNCTL_SECRETS", None)
env.setdefault("AWS_RETRY_MODE", "standard")
env.setdefault("AWS_MAX_ATTEMPTS", "10")
env["AWS_PAGER"] = ""


class Failed(Exception):
    def __init__(self, code, detail):
        super().__init__(code)
        self.code, self.detail = code, detail


def aws(*args):
    try:
        p = subprocess.run(["aws", *args, "--output", "json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env)
    except FileNotFoundError:
        raise Failed("NoCli", "the AWS CLI (aws) is not on the PATH")
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip()
        m = re.search(r"An error occurred \(([A-Za-z0-9.]+)\)", err)
        raise Failed(m.group(1) if m else "CliFailed", err.splitlines()[-1] if err else "")
    return json.loads(p.stdout or b"null")


def text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return v


CACHE = {}


def run_parameters(region, parent):
    """Every parameter runctl kept for the run under parent, with one (paged) call."""
    if (region, parent) not in CACHE:
        found = aws("ssm", "get-parameters-by-path", "--region", region, "--path", parent,
                    "--recursive", "--with-decryption", "--query", "Parameters[].[Name,Value]")
        CACHE[(region, parent)] = dict(found or [])
    return CACHE[(region, parent)]


def parameters(region, names):
    """The parameters of items in one region, ten names a call, decrypted."""
    if ("p", region) not in CACHE:
        values = {}
        for i in range(0, len(names), 10):
            got = aws("ssm", "get-parameters", "--region", region, "--with-decryption",
                      "--names", *names[i:i + 10])
            for p in got.get("Parameters", []):
                values[p["Name"]] = p.get("Value")
                values[p.get("ARN", "")] = p.get("Value")
        CACHE[("p", region)] = values
    return CACHE[("p", region)]


def fetch(item):
    kind, region = item["kind"], item["region"]
    if kind == "aws_secret":
        value = aws("secretsmanager", "get-secret-value", "--region", region,
                    "--secret-id", item["id"], "--query", "SecretString")
        if not value:
            raise Failed("Empty", "the secret holds no SecretString")
        key = item.get("key")
        if key:
            try:
                obj = json.loads(value)
            except ValueError:
                obj = None
            if not isinstance(obj, dict):
                raise Failed("NotJson", "key: needs the secret to hold a JSON object")
            field = obj.get(key)
            if field is None or isinstance(field, (dict, list)):
                raise Failed("NoKey", "its JSON has no field '%s'" % key)
            value = text(field)
        return value
    if kind == "aws_parameter":
        names = [i["id"] for i in items if i["kind"] == "aws_parameter" and i["region"] == region]
        value = parameters(region, names).get(item["id"])
        if value is None:
            raise Failed("ParameterNotFound", "Parameter %s not found." % item["id"])
        if not value:
            raise Failed("Empty", "the parameter is empty")
        return value
    path = item["path"]
    found = run_parameters(region, path.rsplit("/", 1)[0])
    want = ["%s/%d" % (path, i) for i in range(item["parts"])]
    if any(w not in found for w in want):
        raise Failed("Incomplete", "%d of %d parts under %s" % (
            len([w for w in want if w in found]), len(want), path))
    return "".join(found[w] for w in want)


lines = []
for item in items:
    try:
        value = fetch(item)
    except Failed as f:
        print("@@secret-failed %s %s %s" % (item["name"], f.code, f.detail.replace("\n", " ")))
        sys.exit(3)
    lines.append("%s=%s\n" % (item["name"], shlex.quote(value)))
fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w", encoding="utf-8") as f:
    f.write("".join(lines))
print("@@secrets %d" % len(lines))
