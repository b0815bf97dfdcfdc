# runctl's supervisor of a detached process (local target): started in a session of its own, it
# outlives runctl. argv: the state folder, then the command. It
# - starts the command in a session of its own (so a signal to the command's group never reaches
#   the supervisor) with stdin from /dev/null, and writes its pid to <dir>/child;
# - copies the command's output (stdout and stderr merged) to <dir>/output.log with every secret
#   masked: the secrets come base64-encoded, comma-separated, in RUNCTL_MASK, which the command does
#   not get. A secret split across reads is still caught: the last len(longest)-1 bytes are held
#   back until more output comes, or until the command has been quiet for a moment and they cannot
#   begin a secret;
# - is the subreaper of everything the command starts (PR_SET_CHILD_SUBREAPER), so that a process
#   that leaves the command's session and loses its parent is still its descendant, and records
#   every descendant it sees as "pid:start" (start: clock ticks since boot, /proc/<pid>/stat field
#   22) in <dir>/tracked, for runctl to find and stop what the command leaves behind;
# - writes the command's exit code to <dir>/exit once the command has ended and its output is
#   copied (waiting at most 1 s for output a process left behind keeps open); it goes on copying
#   that output and reaping what it inherits until all of it has ended.
import base64
import os
import select
import subprocess
import sys
import time

# RUNCTL_SUPERVISES marks this process as the supervisor of the start runctl marked in <dir>/starting
# (found in /proc/<pid>/environ when runctl died before recording it); the command does not get it
os.environ.pop("RUNCTL_SUPERVISES", None)
DIR = sys.argv[1]
ARGV = sys.argv[2:]
MASK = b"***"
SECRETS = sorted(
    (base64.b64decode(s) for s in os.environ.pop("RUNCTL_MASK", "").split(",") if s),
    key=len, reverse=True)
KEEP = max((len(s) for s in SECRETS), default=1) - 1
OUT = os.open(os.path.join(DIR, "output.log"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
pending = b""


def write_file(name, text):
    tmp = os.path.join(DIR, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(DIR, name))


def mask(data):
    for s in SECRETS:
        data = data.replace(s, MASK)
    return data


def write_all(data):
    while data:
        data = data[os.write(OUT, data):]


def relay(data, final=False):
    """Masks and writes output; holds back a tail that may be the start of a secret."""
    global pending
    buf = mask(pending + data)
    hold = 0 if final else min(KEEP, len(buf))
    if hold and not data:
        # quiet: hold back only the longest tail that begins some secret
        hold = max((k for k in range(1, hold + 1) for s in SECRETS if s.startswith(buf[-k:])),
                   default=0)
    write_all(buf[:len(buf) - hold])
    pending = buf[len(buf) - hold:]


def stat(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return int(fields[1]), int(fields[19])  # ppid, start


seen = set()


def track():
    """Appends the descendants not seen before to <dir>/tracked."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                parents[int(name)] = stat(int(name))
            except (OSError, ValueError, IndexError):
                pass
    ours = {os.getpid()}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in parents.items():
            if ppid in ours and pid not in ours:
                ours.add(pid)
                grew = True
    new = ["%d:%d\n" % (pid, parents[pid][1]) for pid in sorted(ours - {os.getpid()})
           if (pid, parents[pid][1]) not in seen]
    if new:
        seen.update(tuple(map(int, line.split(":"))) for line in new)
        with open(os.path.join(DIR, "tracked"), "a") as f:
            f.write("".join(new))


def reap():
    """Reaps the ended processes this subreaper inherited; False once it has no child left."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


try:
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except (ImportError, OSError, AttributeError):
    pass  # no ctypes: descendants are still tracked while their parents live

r, w = os.pipe()
try:
    child = subprocess.Popen(ARGV, stdin=subprocess.DEVNULL, stdout=w, stderr=w,
                             start_new_session=True)
except OSError as e:
    relay(("runctl: cannot run %s: %s\n" % (ARGV[0], e.strerror)).encode(), final=True)
    write_file("child", "0")
    write_file("exit", "126" if isinstance(e, PermissionError) else "127")
    sys.exit(0)
os.close(w)
write_file("child", str(child.pid))
os.set_blocking(r, False)
poller = select.poll()
poller.register(r, select.POLLIN)
try:
    exit_fd = os.pidfd_open(child.pid)  # readable once the command ends: no polling for it
    poller.register(exit_fd, select.POLLIN)
except (AttributeError, OSError):
    exit_fd = None
pipe_open = True
code = None
drain_until = None
next_track = 0.0
while True:
    ready = dict(poller.poll(100 if drain_until is not None else 1000))
    got = False
    if r in ready and pipe_open:
        try:
            data = os.read(r, 1 << 16)
        except BlockingIOError:
            data = None
        if data:
            relay(data)
            got = True
        elif data == b"":
            poller.unregister(r)
            os.close(r)
            pipe_open = False
    if not got and pending:
        relay(b"")
    now = time.monotonic()
    if now >= next_track:
        track()
        next_track = now + 1.0
    if code is None:
        code = child.poll()  # reaps it, and nothing else
        if code is not None:
            if exit_fd is not None:
                poller.unregister(exit_fd)
                os.close(exit_fd)
            track()  # what it leaves behind, before anything can wander off
            drain_until = now + 1.0
    if drain_until is not None and (not pipe_open or now >= drain_until):
        relay(b"", final=True)
        write_file("exit", str(128 - code if code < 0 else code))
        drain_until = None
    elif code is not None and drain_until is None:
        if not reap() and not pipe_open:
            break
        if not pipe_open:
            time.sleep(1)  # no pipe to wait on: reap and track what is left once a second
relay(b"", final=True)
