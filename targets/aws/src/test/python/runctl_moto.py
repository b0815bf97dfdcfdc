"""moto_server, extended so that runctl's aws target can be tested end to end over real HTTP.

Stock moto 5.2.1 never executes SSM commands, lacks DescribeInstanceInformation and never fails a
launch. This launcher patches moto in-process, then serves it like moto_server does:

- SendCommand (AWS-RunShellScript) really runs the commands with bash in a sandbox folder per
  instance (<sandbox>/<instance-id>/, which is also HOME there), asynchronously; only the instances
  named are targeted; commands to an instance that is not running fail with InvalidInstanceId.
- GetCommandInvocation reports the real status, exit code, stdout (first 24,000 characters, as AWS)
  and stderr (first 8,000).
- DescribeInstanceInformation lists running instances as Online (after an optional delay).
- Terminating or interrupting an instance kills the processes of its sandbox.
- Power commands inside a sandbox (shutdown, poweroff, halt, reboot, systemctl, init, telinit,
  sudo) are stand-ins first on its PATH (which holds no sbin folder): they never reach this
  machine. `shutdown`/`poweroff` end the emulated instance as its InstanceInitiatedShutdownBehavior
  says (terminate or stop); the rest are refused.
- DescribeSpotPriceHistory answers a configurable price.
- POST /runctl-moto/faults {"capacity": "spot"|"all"|"spot_price"|null, "throttle_every": N,
  "throttle_services": ["ec2", "ssm", "s3"], "online_delay": seconds, "spot_price": "0.3",
  "capacity_only": ["g6.xlarge@us-east-1b", ...] (every other type x zone has no capacity),
  "capacity_delay": seconds before a capacity failure answers, "launch_delay": seconds between
  creating an instance and answering RunInstances, "boot_delay": seconds an instance stays
  `pending` after RunInstances (no SSM, commands refused) before it is `running`}
- POST /runctl-moto/interrupt {"instance_id": "i-...", "region": "us-east-1", "state_delay": s,
  "notice": true}: a spot reclaim. The sandbox's processes die at once; the state changes to
  terminated `state_delay` seconds later; with `notice` the instance's metadata service shows a
  spot interruption notice.
- The instances' metadata service (IMDSv2: token, spot/instance-action, instance-id) is served
  under /runctl-moto/imds/<instance-id>/, named by AWS_EC2_METADATA_SERVICE_ENDPOINT there.
- POST /runctl-moto/setup {"instance_profile": "name"}: creates it in moto's IAM.
- GET /runctl-moto/stats: counters (RunInstances calls, throttled requests, commands run,
  requests, and requests per service: ec2_requests, ssm_requests, s3_requests).
- POST /moto-api/reset also kills every sandbox process and clears the faults.
- S3 PUTs with If-None-Match or If-Match (the lock of a run in the shared state) are served one at
  a time: moto 5.2.1 answers both conditions (412 when they do not hold) but checks and stores in
  two moves, so that two threads could both pass the check.

The instances reach this same server for `aws s3 cp`: their environment carries AWS_ENDPOINT_URL,
test credentials and a ~/.aws/config with path-style addressing.

Usage: python3 runctl_moto.py --port PORT --sandbox DIR
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.instances import Instance, InstanceBackend, StateReason
from moto.ec2.responses.instances import InstanceResponse
from moto.ec2.responses.spot_instances import SpotInstances
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.core.responses import ActionResult
from moto.ssm import models as ssm_models
from moto.ssm.exceptions import SSMException
from moto.ssm.responses import SimpleSystemManagerResponse

STDOUT_LIMIT = 24000
STDERR_LIMIT = 8000
MARKER = "RUNCTL_SANDBOX_INSTANCE"
SERVER = "RUNCTL_MOTO_SERVER"

LOCK = threading.Lock()
CONDITIONAL_WRITES = threading.Lock()
FAULTS = {}
STATS = {}
RUNS = {}  # (command_id, instance_id) -> dict(status, code, out, err)
FIRST_SEEN = {}
NOTICES = {}  # instance_id -> spot interruption notice
REASONS = {}  # instance_id -> the state reason of an end this launcher caused (reclaim, shutdown)
CONFIG = {"sandbox": None, "port": None, "shims": None}


def reset_state():
    with LOCK:
        FAULTS.clear()
        FAULTS.update(capacity=None, capacity_only=None, capacity_delay=0.0, launch_delay=0.0,
                      throttle_every=0, throttle_services=[], online_delay=0.0, boot_delay=0.0,
                      spot_price="0.3020")
        STATS.clear()
        STATS.update(run_instances=0, throttled=0, commands=0, requests=0)
        RUNS.clear()
        FIRST_SEEN.clear()
        REASONS.clear()
        NOTICES.clear()


def kill_sandbox(instance_id=None):
    """SIGKILL every process this server started for that instance (or for any instance).

    Processes are found by their environment: this server's id (several servers may run on one
    machine, e.g. parallel builds) and, when given, the instance id.
    """
    mine = (SERVER + "=" + str(os.getpid())).encode()
    needle = (MARKER + "=" + instance_id).encode() if instance_id else None
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if mine in env and (needle is None or needle in env):
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass


# ---------------------------------------------------------------- EC2


_orig_run_instances = InstanceResponse.run_instances


def zone_of(self):
    """The zone a RunInstances request asks for: its placement, its subnet's zone, or moto's."""
    zone = self._get_param("Placement.AvailabilityZone")
    if zone:
        return zone
    subnet = self._get_param("SubnetId")
    if subnet:
        try:
            return ec2_backends[self.current_account][self.region].get_subnet(
                subnet).availability_zone
        except Exception:
            return None
    return self.region + "a"


def run_instances(self):
    market = self._get_param("InstanceMarketOptions.MarketType")
    itype = self._get_param("InstanceType", "m1.small")
    capacity = FAULTS.get("capacity")
    only = FAULTS.get("capacity_only")
    if only is not None and f"{itype}@{zone_of(self)}" not in only:
        time.sleep(float(FAULTS.get("capacity_delay") or 0))
        raise EC2ClientError(
            "InsufficientInstanceCapacity",
            f"We currently do not have sufficient {itype} capacity in the Availability Zone you "
            "requested. Our system will be working on provisioning additional capacity.")
    if capacity == "spot_price" and market == "spot":
        raise EC2ClientError(
            "SpotMaxPriceTooLow",
            f"Your Spot request price of {self._get_param('InstanceMarketOptions.SpotOptions.MaxPrice')}"
            f" is lower than the minimum required Spot request fulfillment price of"
            f" {FAULTS['spot_price']}.")
    if capacity == "all" or (capacity == "spot" and market == "spot"):
        raise EC2ClientError(
            "InsufficientInstanceCapacity",
            f"We currently do not have sufficient {itype} capacity in the Availability Zone you "
            "requested. Our system will be working on provisioning additional capacity.")
    with LOCK:
        STATS["run_instances"] += 1
    result = _orig_run_instances(self)
    # the instance exists (tagged) but the caller has no answer yet: a crash here is the worst case
    time.sleep(float(FAULTS.get("launch_delay") or 0))
    return result


InstanceResponse.run_instances = run_instances

_orig_backend_run_instances = InstanceBackend.run_instances


def backend_run_instances(self, *args, **kwargs):
    """Instances boot: `pending` for FAULTS["boot_delay"] seconds, then `running`."""
    reservation = _orig_backend_run_instances(self, *args, **kwargs)
    delay = float(FAULTS.get("boot_delay") or 0)
    if delay > 0:
        for inst in reservation.instances:
            inst._state.name = "pending"
            inst._state.code = 0
            threading.Thread(target=boot, args=(inst, delay), daemon=True).start()
    return reservation


def boot(inst, delay):
    time.sleep(delay)
    if inst._state.name == "pending":
        inst._state.name = "running"
        inst._state.code = 16
        with LOCK:
            STATS["booted"] = STATS.get("booted", 0) + 1


InstanceBackend.run_instances = backend_run_instances

_orig_terminate = Instance.terminate


def terminate(self):
    kill_sandbox(self.id)
    return _orig_terminate(self)


Instance.terminate = terminate


def _state_reason(self):
    """An end this launcher caused keeps its reason: moto's terminate() and stop() write their
    own (User initiated) after changing the state, and a describe in between saw none."""
    mine = REASONS.get(getattr(self, "id", None))
    return mine if mine is not None else self.__dict__.get("_runctl_state_reason", StateReason())


def _set_state_reason(self, value):
    self.__dict__["_runctl_state_reason"] = value


Instance.state_reason = property(_state_reason, _set_state_reason)

_orig_stop = Instance.stop


def stop(self):
    kill_sandbox(self.id)
    return _orig_stop(self)


Instance.stop = stop


def describe_spot_price_history(self):
    types = self._get_param("InstanceTypes", [])
    now = datetime.datetime.now(datetime.timezone.utc)
    zones = [self.region + "a", self.region + "b"]
    history = [{"InstanceType": t, "ProductDescription": "Linux/UNIX",
                "SpotPrice": FAULTS["spot_price"], "AvailabilityZone": z, "Timestamp": now}
               for t in types for z in zones]
    return ActionResult({"SpotPriceHistory": history})


SpotInstances.describe_spot_price_history = describe_spot_price_history


def find_instance(instance_id, region=None):
    for acct, regions in ec2_backends.items():
        for name, backend in regions.items():
            if region and name != region:
                continue
            try:
                return backend.get_instance(instance_id)
            except Exception:
                continue
    return None


# ---------------------------------------------------------------- SSM


class InvalidInstanceId(SSMException):
    """Raised like AWS does for an instance that is not running (moto maps errors by module)."""

    def __init__(self, message):
        super().__init__("InvalidInstanceId", message)


InvalidInstanceId.__module__ = SSMException.__module__


def _targets_only(self):
    if not self.targets:
        return []
    return _orig_targets(self)


_orig_targets = ssm_models.Command._get_instance_ids_from_targets
ssm_models.Command._get_instance_ids_from_targets = _targets_only

_orig_send_command = SimpleSystemManagerResponse.send_command


def send_command(self):
    ids = self._get_param("InstanceIds", [])
    backend = ec2_backends[self.current_account][self.region]
    instances = []
    for iid in ids:
        try:
            inst = backend.get_instance(iid)
        except Exception:
            inst = None
        if inst is None or inst.state != "running":
            raise InvalidInstanceId(f"Instances [[{iid}]] not in a valid state for account "
                                    f"{self.current_account}")
        instances.append(inst)
    params = self._get_param("Parameters", {})
    script = "\n".join(params.get("commands", [])) + "\n"
    timeout = int((params.get("executionTimeout") or ["3600"])[0])
    result = _orig_send_command(self)
    command_id = result.result["Command"]["CommandId"] if hasattr(result, "result") else None
    if command_id is None:
        command_id = self.ssm_backend._commands[-1].command_id
    for inst in instances:
        start_command(command_id, inst.id, self.region, script, timeout)
    return result


SimpleSystemManagerResponse.send_command = send_command


POWER_COMMANDS = ("shutdown", "poweroff", "halt", "reboot", "systemctl", "init", "telinit",
                  "sudo")

SHIM = """#!/bin/sh
# runctl-moto: a power command inside an emulated instance never reaches the machine running the
# tests. It asks the launcher to act on the emulated instance instead, as EC2 would.
exec "{python}" - "$0" "$@" <<'PY'
import json, os, sys, urllib.request
name, args = os.path.basename(sys.argv[1]), sys.argv[2:]
body = json.dumps({{"instance_id": os.environ.get("{marker}", ""), "command": name,
                   "args": args}}).encode()
req = urllib.request.Request("http://127.0.0.1:{port}/runctl-moto/power", data=body,
                             method="POST", headers={{"Content-Type": "application/json"}})
try:
    print(urllib.request.urlopen(req, timeout=30).read().decode())
except Exception as e:
    print("runctl-moto power shim: " + str(e), file=sys.stderr)
    sys.exit(1)
PY
"""


def shim_dir():
    """A folder of stand-ins for every power command, first on each sandbox's PATH."""
    d = os.path.join(CONFIG["sandbox"], "_power_shims")
    os.makedirs(d, exist_ok=True)
    text = SHIM.format(python=sys.executable, marker=MARKER, port=CONFIG["port"])
    for name in POWER_COMMANDS:
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    return d


def sandbox_path():
    # no sbin folder at all: what lives there (shutdown, poweroff, reboot) is not for a sandbox
    host = [p for p in os.environ.get("PATH", "/usr/bin:/bin").split(":")
            if p and not p.rstrip("/").endswith("sbin")]
    # the interpreter's own bin next: the aws CLI without pyenv's shim, as on an instance
    return ":".join([CONFIG["shims"], os.path.dirname(sys.executable)] + host)


def sandbox_env(instance_id, region, home):
    env = {
        "HOME": home,
        "PATH": sandbox_path(),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{CONFIG['port']}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        # the standard variable that points IMDS clients elsewhere: this instance's metadata here
        "AWS_EC2_METADATA_SERVICE_ENDPOINT":
            f"http://127.0.0.1:{CONFIG['port']}/runctl-moto/imds/{instance_id}/",
        MARKER: instance_id,
        SERVER: str(os.getpid()),
    }
    for k in ("PYENV_ROOT", "PYENV_VERSION", "TMPDIR", "JAVA_HOME"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


def start_command(command_id, instance_id, region, script, timeout):
    home = os.path.join(CONFIG["sandbox"], instance_id)
    os.makedirs(os.path.join(home, ".aws"), exist_ok=True)
    cfg = os.path.join(home, ".aws", "config")
    if not os.path.exists(cfg):
        with open(cfg, "w") as f:
            f.write(f"[default]\nregion = {region}\ns3 =\n    addressing_style = path\n")
    run_dir = os.path.join(home, ".ssm", command_id)
    os.makedirs(run_dir, exist_ok=True)
    script_path = os.path.join(run_dir, "_script.sh")
    with open(script_path, "w") as f:
        f.write(script)
    key = (command_id, instance_id)
    with LOCK:
        RUNS[key] = {"status": "InProgress", "code": -1, "out": "", "err": ""}
        STATS["commands"] += 1

    def work():
        out_path = os.path.join(run_dir, "stdout")
        err_path = os.path.join(run_dir, "stderr")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(["bash", script_path], cwd=home, env=sandbox_env(
                instance_id, region, home), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                start_new_session=True)
            status = None
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                code = proc.wait()
                status = "TimedOut"
        with open(out_path, "rb") as f:
            stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            stderr = f.read().decode("utf-8", "replace")
        if status is None:
            status = "Success" if code == 0 else "Failed"
        with LOCK:
            if key in RUNS:
                RUNS[key] = {"status": status, "code": code, "out": stdout[:STDOUT_LIMIT],
                             "err": stderr[:STDERR_LIMIT]}

    threading.Thread(target=work, daemon=True).start()


_orig_get_invocation = ssm_models.Command.get_invocation


def get_invocation(self, instance_id, plugin_name):
    inv = dict(_orig_get_invocation(self, instance_id, plugin_name))
    with LOCK:
        run = RUNS.get((self.command_id, instance_id))
    if run is not None:
        inv.update(Status=run["status"], StatusDetails=run["status"], ResponseCode=run["code"],
                   StandardOutputContent=run["out"], StandardErrorContent=run["err"])
    return inv


ssm_models.Command.get_invocation = get_invocation


def describe_instance_information(self):
    wanted = set()
    for f in self._get_param("Filters", []) or []:
        if f.get("Key") == "InstanceIds":
            wanted.update(f.get("Values", []))
    for f in self._get_param("InstanceInformationFilterList", []) or []:
        if f.get("key") == "InstanceIds":
            wanted.update(f.get("valueSet", []))
    backend = ec2_backends[self.current_account][self.region]
    now = time.time()
    items = []
    for inst in backend.all_instances():
        if wanted and inst.id not in wanted:
            continue
        if inst.state != "running":
            continue
        with LOCK:
            first = FIRST_SEEN.setdefault(inst.id, now)
        if now - first < float(FAULTS.get("online_delay") or 0):
            continue
        items.append({
            "InstanceId": inst.id, "PingStatus": "Online",
            "LastPingDateTime": datetime.datetime.now(datetime.timezone.utc),
            "AgentVersion": "3.3.1142.0", "IsLatestVersion": True, "PlatformType": "Linux",
            "PlatformName": "Ubuntu", "PlatformVersion": "22.04", "ResourceType": "EC2Instance",
            "IPAddress": inst.private_ip, "ComputerName": inst.id})
    return ActionResult({"InstanceInformationList": items})


SimpleSystemManagerResponse.describe_instance_information = describe_instance_information


# ---------------------------------------------------------------- HTTP


def service_of(request):
    auth = request.headers.get("Authorization", "")
    marker = "Credential="
    if marker in auth:
        scope = auth.split(marker, 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            return scope[3]
    return None


THROTTLE_BODIES = {
    "ec2": (503, "text/xml",
            '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>'
            "<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
            "</Error></Errors><RequestID>{rid}</RequestID></Response>"),
    "ssm": (400, "application/x-amz-json-1.1",
            '{{"__type":"ThrottlingException","message":"Rate exceeded"}}'),
    "s3": (503, "application/xml",
           '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
           "<Message>Please reduce your request rate.</Message><RequestId>{rid}</RequestId>"
           "</Error>"),
}


def control(request):
    path = request.path
    if path == "/runctl-moto/faults" and request.method == "POST":
        body = json.loads(request.get_data() or b"{}")
        with LOCK:
            FAULTS.update(body)
            return Response(json.dumps(FAULTS), content_type="application/json")
    if path == "/runctl-moto/interrupt" and request.method == "POST":
        body = json.loads(request.get_data() or b"{}")
        inst = find_instance(body["instance_id"], body.get("region"))
        if inst is None:
            return Response('{"error":"no such instance"}', status=404)
        if body.get("notice"):
            when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=2)
            with LOCK:
                NOTICES[inst.id] = {"action": "terminate",
                                    "time": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
        kill_sandbox(inst.id)
        delay = float(body.get("state_delay") or 0)

        def reclaim():
            time.sleep(delay)
            kill_sandbox(inst.id)
            # the reason first: a DescribeInstances between moto's state change and the reason's
            # would see `terminated` with no reason (seen under load)
            REASONS[inst.id] = StateReason(
                "Server.SpotInstanceTermination: Spot instance termination",
                "Server.SpotInstanceTermination")
            _orig_terminate(inst)

        if delay > 0:
            threading.Thread(target=reclaim, daemon=True).start()
        else:
            reclaim()
        return Response(json.dumps({"terminated": inst.id}), content_type="application/json")
    if path.startswith("/runctl-moto/imds/"):
        return imds(request, path[len("/runctl-moto/imds/"):])
    if path == "/runctl-moto/power" and request.method == "POST":
        body = json.loads(request.get_data() or b"{}")
        return power(body)
    if path == "/runctl-moto/setup" and request.method == "POST":
        body = json.loads(request.get_data() or b"{}")
        from moto.iam.models import iam_backends
        iam = iam_backends[DEFAULT_ACCOUNT_ID]["global"]
        name = body.get("instance_profile")
        if name and name not in [p.name for p in iam.instance_profiles.values()]:
            iam.create_instance_profile(name, "/", [], [])
        return Response(json.dumps({"ok": True}), content_type="application/json")
    if path == "/runctl-moto/stats":
        with LOCK:
            return Response(json.dumps(STATS), content_type="application/json")
    return Response('{"error":"unknown control path"}', status=404)


def imds(request, rest):
    """The instance metadata service of one instance (IMDSv2 token, spot interruption notice)."""
    instance_id, _, sub = rest.partition("/")
    if sub == "latest/api/token" and request.method == "PUT":
        return Response("runctl-moto-token", content_type="text/plain")
    if request.headers.get("X-aws-ec2-metadata-token") != "runctl-moto-token":
        return Response("", status=401)
    if sub == "latest/meta-data/spot/instance-action":
        with LOCK:
            notice = NOTICES.get(instance_id)
        if notice is None:
            return Response("", status=404)
        return Response(json.dumps(notice), content_type="text/plain")
    if sub == "latest/meta-data/instance-id":
        return Response(instance_id, content_type="text/plain")
    return Response("", status=404)


def power(body):
    """A power command run inside an instance's sandbox: shutdown and poweroff end the instance
    as its InstanceInitiatedShutdownBehavior says (terminate, or stop); anything else (reboot,
    systemctl, sudo) is refused. Every call is logged and counted."""
    name, args = body.get("command", ""), body.get("args", [])
    inst = find_instance(body.get("instance_id", ""))
    with LOCK:
        STATS["power_" + name] = STATS.get("power_" + name, 0) + 1
    print(f"runctl-moto: '{name} {' '.join(args)}' inside {body.get('instance_id')}", flush=True)
    off = name in ("shutdown", "poweroff", "halt") or (
        name == "systemctl" and args[:1] == ["poweroff"])
    if name == "shutdown" and ("-r" in args or "--reboot" in args):
        off = False
    if inst is None or not off:
        return Response(json.dumps({"refused": name}), status=403,
                        content_type="application/json")
    behaviour = inst.instance_initiated_shutdown_behavior
    threading.Thread(target=end_instance, args=(inst, behaviour), daemon=True).start()
    return Response(json.dumps({"instance_id": inst.id, "behaviour": behaviour}),
                    content_type="application/json")


def end_instance(inst, behaviour):
    time.sleep(0.2)  # the answer reaches the shim before its sandbox dies
    with LOCK:
        STATS["self_" + behaviour] = STATS.get("self_" + behaviour, 0) + 1
    REASONS[inst.id] = StateReason(
        "Client.InstanceInitiatedShutdown: Instance initiated shutdown",
        "Client.InstanceInitiatedShutdown")
    if behaviour == "terminate":
        inst.terminate()
    else:
        inst.stop()


def make_app():
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):
        request = Request(environ)
        path = request.path
        if path.startswith("/runctl-moto/"):
            return control(request)(environ, start_response)
        if path == "/moto-api/reset":
            kill_sandbox()
            reset_state()
            return moto_app(environ, start_response)
        service = service_of(request)
        with LOCK:
            STATS["requests"] += 1
            if service:
                STATS[service + "_requests"] = STATS.get(service + "_requests", 0) + 1
            every = int(FAULTS.get("throttle_every") or 0)
            throttle = False
            if every > 0 and service in (FAULTS.get("throttle_services") or []):
                FAULTS["_count"] = FAULTS.get("_count", 0) + 1
                throttle = FAULTS["_count"] % every == 0
                if throttle:
                    STATS["throttled"] += 1
        if throttle and service in THROTTLE_BODIES:
            status, ctype, body = THROTTLE_BODIES[service]
            resp = Response(body.format(rid=uuid.uuid4()), status=status, content_type=ctype)
            return resp(environ, start_response)
        if request.method == "PUT" and (
                "If-None-Match" in request.headers or "If-Match" in request.headers):
            # moto checks a write's condition and then stores the object, with no lock between
            # the two: two conditional writes served by two threads could both pass. S3 makes
            # them one step; so does this lock, for conditional writes among themselves.
            with CONDITIONAL_WRITES:
                return list(moto_app(environ, start_response))
        return moto_app(environ, start_response)

    return app


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sandbox", required=True)
    args = parser.parse_args()
    CONFIG["port"] = args.port
    CONFIG["sandbox"] = os.path.abspath(args.sandbox)
    os.makedirs(CONFIG["sandbox"], exist_ok=True)
    CONFIG["shims"] = shim_dir()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    reset_state()

    def bye(signum, frame):
        kill_sandbox()
        sys.exit(0)

    signal.signal(signal.SIGTERM, bye)
    signal.signal(signal.SIGINT, bye)
    print(f"runctl-moto listening on 127.0.0.1:{args.port}", flush=True)
    run_simple("127.0.0.1", args.port, make_app(), threaded=True)


if __name__ == "__main__":
    main()
