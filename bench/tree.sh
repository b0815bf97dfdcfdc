# The benches' tree: 10,000 files of 1-15 KiB random bytes (~80 MB) in 100 folders, generated
# once (seeded) into $1 and marked complete. Sourced by bench/sync.sh and bench/ssh-sync.sh.
make_tree() {
  local tree="$1"
  if [[ ! -f "$tree/.complete" ]]; then
    echo "generating 10,000 files (~80 MB) in $tree ..." >&2
    rm -rf "$tree"
    python3 - "$tree" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(42)
for d in range(100):
    folder = os.path.join(root, "d%03d" % d, "sub%d" % (d % 7))
    os.makedirs(folder, exist_ok=True)
    for f in range(100):
        size = rng.randint(1024, 15 * 1024)          # 8 KiB on average: ~80 MB in all
        with open(os.path.join(folder, "f%03d.bin" % f), "wb") as out:
            out.write(rng.randbytes(size))
open(os.path.join(root, ".complete"), "w").close()
PY
  fi
  echo "tree: $(find "$tree" -type f ! -name .complete | wc -l) files, $(du -sm "$tree" | cut -f1) MB" >&2
}
