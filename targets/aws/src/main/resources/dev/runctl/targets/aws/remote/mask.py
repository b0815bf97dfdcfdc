# Masks secrets in a process's output on its way to the log: reads stdin, writes stdout, with each
# value of the variables named in argv (from this process's environment; 4 bytes or longer) shown
# as ***. Bytes that could be the start of a value are held back until the next bytes decide.
import os, sys

values = sorted({os.environb.get(n.encode(), b"") for n in sys.argv[1:]}, key=len, reverse=True)
values = [v for v in values if len(v) >= 4]
out = sys.stdout.buffer


def masked(data):
    for v in values:
        data = data.replace(v, b"***")
    return data


def held(data):
    """How many trailing bytes of data could begin a value."""
    keep = 0
    for v in values:
        start = max(0, len(data) - len(v) + 1)
        i = data.find(v[:1], start)
        while i != -1 and len(data) - i > keep:
            if v.startswith(data[i:]):
                keep = len(data) - i
                break
            i = data.find(v[:1], i + 1)
    return keep


rest = b""
try:
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            break
        data = masked(rest + chunk)
        keep = held(data)
        rest = data[len(data) - keep:] if keep else b""
        out.write(data[:len(data) - keep])
        out.flush()
    out.write(masked(rest))
    out.flush()
except Exception as e:
    # never a value unmasked, never a broken pipe for the process: the rest is dropped
    out.write(b"\nrunctl: the output masker failed (%s); the rest of the output is dropped\n"
              % type(e).__name__.encode())
    out.flush()
    while os.read(0, 65536):
        pass
