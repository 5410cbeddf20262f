"""compose.yaml is a valid Compose file (validated against the Compose
specification's schema, vendored in tests/compose_spec/) and its services are
wired the way docs/operations.md says: migrations once before the web
containers, readiness probes, the trusted proxy hops (Caddy, and the HTTP
cache in front of the HTTP containers), HTTP containers (granian) behind the
cache (Varnish) behind the proxy, websocket containers (uvicorn) behind the
proxy for /ws/, and bans from every app container to the cache's private
listener.
tools/stack_check.sh runs these services for real."""

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "compose_spec" / "compose-spec.json").read_text())


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def schema_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft201909Validator(SCHEMA)
    errors = validator.iter_errors(document)
    return sorted(f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors)


@pytest.fixture
def compose() -> dict:
    return load_compose()


def http_services(compose: dict) -> list[str]:
    return sorted(name for name in compose["services"] if name.startswith("web"))


def ws_services(compose: dict) -> list[str]:
    return sorted(name for name in compose["services"] if name.startswith("ws"))


def web_services(compose: dict) -> list[str]:
    return http_services(compose) + ws_services(compose)


def test_compose_file_follows_the_compose_specification(compose):
    jsonschema.Draft201909Validator.check_schema(SCHEMA)

    assert schema_errors(compose) == []


def test_the_schema_catches_a_misspelt_key(compose):
    # The check is only worth something if the schema is strict: a typo in a
    # healthcheck must not pass silently. (The web containers share one
    # healthcheck through a YAML anchor: give web1 a copy of its own.)
    healthcheck = dict(compose["services"]["web1"]["healthcheck"])
    healthcheck["intervall"] = healthcheck.pop("interval")
    compose["services"]["web1"]["healthcheck"] = healthcheck

    assert schema_errors(compose) == ["services/web1/healthcheck: 'intervall' does not match any of the regexes: '^x-'"]


def test_every_dependency_names_a_service(compose):
    services = compose["services"]

    dangling = {
        (name, dependency)
        for name, service in services.items()
        for dependency in service.get("depends_on", {})
        if dependency not in services
    }

    assert dangling == set()


def test_the_stack_has_two_http_containers_two_websocket_containers_a_worker_and_a_proxy(compose):
    services = compose["services"]

    assert http_services(compose) == ["web1", "web2"]
    assert ws_services(compose) == ["ws1", "ws2"]
    assert {services[name]["environment"]["ROLE"] for name in http_services(compose)} == {"http"}
    assert {services[name]["environment"]["ROLE"] for name in ws_services(compose)} == {"ws"}
    assert services["worker"]["command"] == ["python", "manage.py", "notifications_worker"]
    assert {"db", "redis", "migrate", "proxy"} <= set(services)


def test_web_containers_wait_for_migrations_run_once_and_report_readiness(compose):
    services = compose["services"]

    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in web_services(compose):
        web = services[name]
        assert web["environment"]["MIGRATE_ON_START"] == "0"
        assert web["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert web["healthcheck"]["test"] == ["CMD", "python", "/app/docker/healthcheck.py", "/readyz"]
    # The HTTP containers are awaited by the cache in front of them, the
    # websocket ones by the proxy, which starts after the cache.
    for name in http_services(compose):
        assert services["cache"]["depends_on"][name] == {"condition": "service_healthy"}
    for name in ws_services(compose):
        assert services["proxy"]["depends_on"][name] == {"condition": "service_healthy"}
    assert "cache" in services["proxy"]["depends_on"]


def address(service: dict) -> str:
    return service["networks"]["backend"]["ipv4_address"]


def test_the_trusted_hops_are_the_proxy_and_for_http_the_cache(compose):
    services = compose["services"]

    # The HTTP containers see the cache, which appended the proxy's address.
    for name in http_services(compose):
        environment = services[name]["environment"]
        assert environment["FORWARDED_ALLOW_IPS"] == address(services["cache"])
        assert environment["TRUSTED_PROXY_COUNT"] == "2"
    # The websocket containers see the proxy itself (and so would anything
    # else the proxy reached directly).
    for name in [*ws_services(compose), "worker", "migrate"]:
        environment = services[name]["environment"]
        assert environment["FORWARDED_ALLOW_IPS"] == address(services["proxy"])
        assert environment["TRUSTED_PROXY_COUNT"] == "1"
    # Only the proxy is published on the host: nobody reaches the cache or a
    # web container around it to forge X-Forwarded-For, or the cache's ban
    # listener at all.
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    # Fixed addresses, and distinct ones: the cache resolves its backends' names once.
    addresses = [address(services[name]) for name in ["proxy", "cache", *http_services(compose)]]
    assert len(set(addresses)) == len(addresses)


def test_the_proxy_sends_websockets_to_the_websocket_containers_and_the_rest_to_the_cache(compose):
    proxy = compose["services"]["proxy"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()

    assert proxy["environment"]["WEB_UPSTREAMS"].split() == ["cache:6081"]
    assert proxy["environment"]["WS_UPSTREAMS"].split() == [f"{name}:8000" for name in ws_services(compose)]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    websockets = re.search(r"handle /ws/\* \{\s*reverse_proxy \{\$WS_UPSTREAMS[^}]*\} \{(.*?)\n\t\t\}", caddyfile, re.S)
    assert websockets, "no /ws/* route to WS_UPSTREAMS"
    assert "health_uri /readyz" in websockets.group(1)
    rest = re.search(r"\n\thandle \{\s*reverse_proxy \{\$WEB_UPSTREAMS[^}]*\} \{(.*?)\n\t\t\}", caddyfile, re.S)
    assert rest, "no catch-all route to WEB_UPSTREAMS"
    assert "health_uri /readyz" in rest.group(1)


def test_the_cache_serves_the_http_containers_and_takes_bans_on_its_private_listener(compose):
    services = compose["services"]
    cache = services["cache"]
    command = " ".join(cache["command"])
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()

    assert cache["image"].startswith("varnish:")
    assert cache["environment"]["WEB_UPSTREAMS"].split() == [f"{name}:8000" for name in http_services(compose)]
    assert "./deploy/varnish:/etc/varnish:ro" in cache["volumes"]
    # backends.vcl is written where the image's user may write, and found
    # through vcl_path before the read-only VCL directory.
    written = re.search(r"sh /etc/varnish/backends\.sh > (\S+)/backends\.vcl", command)
    assert written, command
    assert f"-p vcl_path={written.group(1)}:/etc/varnish" in command
    assert "exec varnishd -F -a :6081 -a purge=:6082" in command
    assert "-f /etc/varnish/default.vcl" in command
    # Every app container bans on the purge listener, and the VCL takes a BAN
    # from nowhere else (the proxy forwards any method to 6081).
    for name in [*web_services(compose), "worker"]:
        assert services[name]["environment"]["HTTP_CACHE_BAN_URLS"] == "http://cache:6082"
    # The migration job runs before the cache exists; the HTTP processes ban at start.
    assert services["migrate"]["environment"]["HTTP_CACHE_BAN_URLS"] == ""
    assert re.search(r'if \(req\.method == "BAN"\) \{\s*if \(local\.socket != "purge"\) \{\s*return \(synth\(405', vcl)


def test_backends_vcl_lists_every_upstream_with_the_readiness_probe():
    script = ROOT / "deploy" / "varnish" / "backends.sh"
    environment = {"PATH": "/usr/bin:/bin", "WEB_UPSTREAMS": "web1:8000 web2:8000", "SITE_HOST": "forum.example"}

    vcl = subprocess.run(["sh", str(script)], env=environment, check=True, capture_output=True, text=True).stdout

    assert re.findall(r'\.host = "([^"]+)";\s*\.port = "(\d+)";\s*\.probe = ready;', vcl) == [
        ("web1", "8000"),
        ("web2", "8000"),
    ]
    assert '"Host: forum.example"' in vcl
    assert "ready_web.add_backend(web2);" in vcl
    assert "any_web.add_backend(web2_any);" in vcl
