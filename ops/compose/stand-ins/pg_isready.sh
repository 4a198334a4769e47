#!/bin/bash
# STAND-IN for pg_isready (the npm package has no client programs): sends a startup message to
# 127.0.0.1:5432 and exits 0 when the server answers it with anything but "starting up", as the
# real one does (an authentication request or a refusal both mean the server accepts connections).
user=postgres db=postgres
while getopts 'U:d:h:p:q' opt; do
    case $opt in U) user=$OPTARG ;; d) db=$OPTARG ;; *) ;; esac
done
exec 3<>/dev/tcp/127.0.0.1/5432 2>/dev/null || exit 2
body=$(printf 'user\\x00%s\\x00database\\x00%s\\x00\\x00' "$user" "$db")
len=$((8 + $(printf "$body" | wc -c)))
printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' 0 0 $((len / 256)) $((len % 256)))\\x00\\x03\\x00\\x00$body" >&3
# The first byte: R (it asks for a password, then waits) or E (an error, then it closes).
kind='' reply=''
read -r -N 1 -t 2 -u 3 kind || exit 1
[ "$kind" = R ] && exit 0
read -r -N 200 -t 1 -u 3 reply
case $reply in
*'starting up'* | *'shutting down'*) exit 1 ;;
esac
[ "$kind" = E ] && exit 0
exit 1
