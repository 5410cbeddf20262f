#!/bin/sh
# Prints the backends of deploy/varnish/default.vcl (its `include
# "backends.vcl"`): the web processes that answer HTTP, each asked /readyz,
# and the two directors the main VCL picks from. Varnish reads backend
# addresses only from VCL, so each deployment writes this file at start:
#
#   WEB_UPSTREAMS="web1:8000 web2:8000" SITE_HOST=forum.example deploy/varnish/backends.sh > backends.vcl
#
#   WEB_UPSTREAMS    the HTTP processes, space-separated host:port
#   SITE_HOST        the Host of the readiness probe (one ALLOWED_HOSTS name)
#   HEALTH_INTERVAL  how often each process is asked (5s)
set -eu
: "${WEB_UPSTREAMS:?set WEB_UPSTREAMS, e.g. \"web1:8000 web2:8000\"}"
host="${SITE_HOST:-localhost}"
interval="${HEALTH_INTERVAL:-5s}"

cat <<VCL
# Written by deploy/varnish/backends.sh: do not edit.
vcl 4.1;

import directors;

probe ready {
    .request = "GET /readyz HTTP/1.1"
               "Host: $host"
               "Connection: close"
               "User-Agent: varnish-probe";
    .interval = $interval;
    .timeout = 4s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}
VCL

n=0
for upstream in $WEB_UPSTREAMS; do
    n=$((n + 1))
    address="${upstream%:*}"
    port="${upstream##*:}"
    cat <<VCL

backend web$n {
    .host = "$address";
    .port = "$port";
    .probe = ready;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
}

# The same process without a probe: when no process is ready, the cause is
# shared by all of them (the database restarting, Redis down) and each answers
# better than this cache's 503 (a page from the database, or a 503 with
# Retry-After): fail open, as the proxy did before this cache.
backend web${n}_any {
    .host = "$address";
    .port = "$port";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
}
VCL
done

printf '\nsub vcl_init {\n    new ready_web = directors.round_robin();\n    new any_web = directors.round_robin();\n'
i=0
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    printf '    ready_web.add_backend(web%s);\n    any_web.add_backend(web%s_any);\n' "$i" "$i"
done
printf '}\n'
