#!/usr/bin/env bash
# Builds, from Debian's packages, a local stand-in for the `python:3.13-slim` base image, so
# that the project's Dockerfile can be built on these machines, which reach no container registry.
#
#   bash tools/container-base.sh                    # once per machine, about 1-2 minutes
#   buildah bud --isolation chroot --pull=never -v /etc/ssl/certs:/etc/ssl/certs:ro -t alternance-qa .
#   C=$(buildah from --pull=never alternance-qa)
#   buildah run --isolation chroot -e SECRET_KEY=... -e PORT=18099 "$C" /app/docker/entrypoint.sh serve &
#       (the container shares the host's network: the server answers on 127.0.0.1:18099)
#
# What works here: buildah with chroot isolation (build steps, and `buildah run` of the built
# image). What does not: `podman run`/`docker run` (the OCI runtime may not set rlimits in this
# sandbox) and pulling from any registry. The stand-in is Debian 13 (trixie, Python 3.13) with a
# virtualenv on PATH where python:3.13-slim has /usr/local/bin/python and pip.
set -euo pipefail
TAG=${BASE_TAG:-docker.io/library/python:3.13-slim}
# Listed first, then searched: with pipefail, `buildah images | grep -q` fails
# whenever grep stops reading before buildah has written everything (SIGPIPE),
# which rebuilt the base, and so every layer of the image, on a busy machine.
present=$(buildah images --format '{{.Name}}:{{.Tag}}' 2>/dev/null || true)
if grep -qx "$TAG" <<<"$present"; then
    echo "$TAG already present"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
command -v buildah >/dev/null && command -v debootstrap >/dev/null || {
    apt-get update -qq && apt-get install -y -qq buildah debootstrap >/dev/null
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the Debian mirror this machine's apt already uses
mirror=$(grep -h -m1 -oE 'https?://[^ ]+/debian$' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror found in apt's sources" >&2; exit 1; }
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates trixie "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -5 "$work/debootstrap.log"; exit 1; }
tar -C "$work/root" -cf "$work/root.tar" .
# Debian 12's buildah (1.28) has no `import`: start from scratch and add the
# tree (`buildah add` unpacks a local tar archive).
base=$(buildah from scratch)
buildah add "$base" "$work/root.tar" / >/dev/null
buildah commit --rm "$base" localhost/trixie-minbase:python >/dev/null
cat >"$work/Containerfile" <<'CF'
FROM localhost/trixie-minbase:python
RUN python3 -m venv /usr/local/python && ln -s /usr/local/python/bin/python /usr/local/bin/python && ln -s /usr/local/python/bin/pip /usr/local/bin/pip
ENV PATH=/usr/local/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CF
buildah bud --isolation chroot --pull=never -t "$TAG" "$work" >/dev/null
echo "built $TAG"
