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
        value = aws("ssm", "get-parameter", "--region", region, "--name", item["id"],
                    "--with-decryption", "--query", "Parameter.Value")
        if not value:
            raise Failed("Empty", "the parameter is empty")
        return value
    found = aws("ssm", "get-parameters-by-path", "--region", region, "--path", item["path"],
                "--with-decryption", "--query", "Parameters[].[Name,Value]") or []
    prefix = item["path"] + "/"
    parts = {name[len(prefix):]: v for name, v in found if name.startswith(prefix)}
    want = [str(i) for i in range(item["parts"])]
    if any(i not in parts for i in want):
        raise Failed("Incomplete", "%d of %d parts under %s" % (
            len([i for i in want if i in parts]), len(want), item["path"]))
    return "".join(parts[i] for i in want)


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
