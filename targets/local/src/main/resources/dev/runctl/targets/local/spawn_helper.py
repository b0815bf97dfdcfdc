# runctl's process-spawn helper (local target). One long-lived helper per runctl process starts
# every attached command in its own session (posix_spawn with setsid: one fork and one exec per
# command, none for setsid or a JVM spawn helper), relays its output and reports its exit code.
#
# Requests on stdin, each "<length>\n" then that many bytes of NUL-separated fields:
#   S id cwd argc arg... key=value...   start argv in cwd, environment = ours plus key=value
#   K id signal                         send signal (TERM, KILL, ...) to the command's group, if it
#                                       has not been reaped yet (so never to a reused pid)
# Reports on stdout:
#   P id pid\n            started; pid is also the process group and session id
#   O id length\n<bytes>  output (stdout and stderr merged)
#   C id\n                output closed
#   E id code\n           exited: its code, or 128 + signal
#   R\n                   ready (once, first)
# Reports are written once per turn of the loop, all that turn produced in one write; no report
# waits for a later one. A command's exit drains its output pipe first, so that a quick command's
# O, C and E usually leave together; C comes later, on its own, only when something the command
# started still holds the pipe open.
# End of stdin means runctl is gone: every running command's group gets SIGTERM, SIGKILL after
# the grace period given as argv[1] (seconds), then the helper exits.
import errno
import os
import select
import signal
import sys
import time

GRACE = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
IN = sys.stdin.buffer.raw if hasattr(sys.stdin.buffer, "raw") else sys.stdin.buffer
OUT = sys.stdout.buffer
DEFAULT_SIGNALS = [s for s in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM,
                               signal.SIGHUP, signal.SIGQUIT) if s is not None]

for s in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT):
    # Ctrl+C reaches runctl's whole process group: runctl decides what stops, the helper stays.
    signal.signal(s, signal.SIG_IGN)

ep = select.epoll()
watched = {}  # fd -> (kind, ref): "in", "out" (a command's output) or "exit" (its pidfd)


def watch(fd, kind, ref):
    watched[fd] = (kind, ref)
    ep.register(fd, select.EPOLLIN)


def unwatch(fd):
    ep.unregister(fd)
    del watched[fd]
    os.close(fd)
running = {}  # pid -> id
pids = {}  # id -> pid, while running
BASE_ENV = dict(os.environb)  # runctl's environment; each command adds its own on top
BASE_PATH = BASE_ENV.get(b"PATH")
outs = {}  # id -> fd of its output pipe, until the pipe's end
pending = bytearray()
out = []


def emit(b):
    out.append(b)


def flush():
    if out:
        try:
            OUT.write(b"".join(out))
            OUT.flush()
        except (BrokenPipeError, OSError):
            pass
        out.clear()


def relay(fd, cid):
    """Copies what the command's pipe holds now into reports; at its end reports C. True at end."""
    while True:
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return False
        if not data:
            unwatch(fd)
            del outs[cid]
            emit(b"C %s\n" % cid)
            return True
        emit(b"O %s %d\n" % (cid, len(data)))
        emit(data)
        if len(data) < (1 << 16):
            return False


def resolve(prog, path):
    """execvp's search: a name with a slash is used as is, else the first executable on PATH."""
    if b"/" in prog:
        return prog
    denied = None
    for d in (path if path is not None else b"/usr/local/bin:/usr/bin:/bin").split(b":"):
        cand = os.path.join(d or b".", prog)
        try:
            if os.path.isfile(cand):
                if os.access(cand, os.X_OK):
                    return cand
                denied = denied or cand
        except OSError:
            pass
    return denied


def start(fields):
    cid = fields[0]
    cwd = fields[1]
    argc = int(fields[2])
    argv = fields[3:3 + argc]
    extra = fields[3 + argc:]
    env = BASE_ENV
    if extra:
        env = BASE_ENV.copy()
        for kv in extra:
            k, _, v = kv.partition(b"=")
            env[k] = v
    r, w = os.pipe()
    try:
        os.chdir(cwd)  # every time: the folder may have been made anew under the same name
        actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_DUP2, w, 2)]
        try:
            if b"/" not in argv[0] and env.get(b"PATH") == BASE_PATH:
                # the C library searches PATH in the child, as execvp does: no stat calls here
                pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions, setsid=True,
                                      setsigdef=DEFAULT_SIGNALS, setsigmask=[])
            else:
                prog = resolve(argv[0], env.get(b"PATH"))
                if prog is None:
                    raise FileNotFoundError(errno.ENOENT, "No such file or directory")
                pid = os.posix_spawn(prog, argv, env, file_actions=actions, setsid=True,
                                     setsigdef=DEFAULT_SIGNALS, setsigmask=[])
        except OSError as e:
            if e.errno != errno.ENOEXEC:
                raise
            # a script without #!: run it with sh, as execvp does
            prog = resolve(argv[0], env.get(b"PATH"))
            pid = os.posix_spawn(b"/bin/sh", [b"sh", prog] + argv[1:], env, file_actions=actions,
                                 setsid=True, setsigdef=DEFAULT_SIGNALS, setsigmask=[])
    except OSError as e:
        os.close(r)
        os.close(w)
        code = 126 if e.errno in (errno.EACCES, errno.EPERM, errno.ENOEXEC) else 127
        msg = b"runctl: cannot run " + argv[0] + b": " + os.strerror(e.errno).encode() + b"\n"
        emit(b"O %s %d\n%s" % (cid, len(msg), msg))
        emit(b"C %s\n" % cid)
        emit(b"E %s %d\n" % (cid, code))
        return
    os.close(w)
    running[pid] = cid
    pids[cid] = pid
    emit(b"P %s %d\n" % (cid, pid))
    os.set_blocking(r, False)
    watch(r, "out", cid)
    outs[cid] = r
    watch(os.pidfd_open(pid), "exit", pid)


def requests():
    """Parses complete requests out of what stdin delivered."""
    global pending
    while True:
        nl = pending.find(b"\n")
        if nl < 0:
            return
        n = int(pending[:nl])
        if len(pending) < nl + 1 + n:
            return
        body = bytes(pending[nl + 1:nl + 1 + n])
        del pending[:nl + 1 + n]
        fields = body.split(b"\0")
        if fields[0] == b"S":
            start(fields[1:])
        elif fields[0] == b"K":
            pid = pids.get(fields[1])
            if pid is not None:
                try:
                    os.killpg(pid, getattr(signal, "SIG" + fields[2].decode()))
                except (OSError, AttributeError):
                    pass


def shutdown():
    """runctl is gone: stop every command's group, gently first."""
    for pid in list(running):
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + GRACE
    while running and time.monotonic() < deadline:
        for pid in list(running):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                del running[pid]
        time.sleep(0.05)
    for pid in list(running):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    sys.exit(0)


try:
    os.close(os.pidfd_open(os.getpid()))
except (AttributeError, OSError):
    sys.exit(3)  # Python before 3.9 or Linux before 5.3: runctl spawns commands itself
watch(IN.fileno(), "in", None)
emit(b"R\n")
flush()
while True:
    stdin_ready = False
    # Requests are read last: they open new descriptors, which may reuse the numbers of those
    # closed while handling this batch.
    for fd, _ in ep.poll():
        if fd not in watched:
            continue  # a pipe drained to its end earlier in this batch
        kind, ref = watched[fd]
        if kind == "in":
            stdin_ready = True
        elif kind == "out":
            relay(fd, ref)
        else:
            unwatch(fd)
            _, status = os.waitpid(ref, 0)
            code = os.waitstatus_to_exitcode(status)
            cid = running.pop(ref)
            del pids[cid]
            if cid in outs:
                relay(outs[cid], cid)  # its last output (and its end) before its exit
            emit(b"E %s %d\n" % (cid, 128 - code if code < 0 else code))
    if stdin_ready:
        data = os.read(IN.fileno(), 1 << 16)
        if not data:
            flush()
            shutdown()
        pending += data
        requests()
    flush()
