# Files under P (relative to W or absolute): path, size, mtime, each NUL-terminated.
cd "$W" 2>/dev/null || exit 0
[ -e "$P" ] && find "$P" -type f -printf '%p\0%s\0%T@\0'
exit 0
