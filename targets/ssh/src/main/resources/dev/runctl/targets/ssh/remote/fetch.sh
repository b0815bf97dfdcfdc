# A tar of P (a file or folder) on stdout, its last path element at the top; exit 3 when absent.
P="${P%/}"
[ -e "$P" ] || { echo "no such file or folder: $P" >&2; exit 3; }
cd "$(dirname -- "$P")" && tar -c -f - -- "$(basename -- "$P")"
