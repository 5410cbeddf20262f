vcl 4.1;
# The HTTP cache between the proxy (Caddy) and the HTTP processes (granian):
# it answers anonymous readers of the pages the application marks as shared,
# without Python, until the application bans them (forum/http_cache.py;
# docs/operations.md, "The HTTP cache"; docs/architecture.md, "Caching").
# Varnish 7.1 (Debian 12's) or newer. Two listeners:
#
#   varnishd -a :6081 -a purge=:6082 -p vcl_path=<dir of backends.vcl>:<this dir> -f default.vcl
#            -p backend_idle_timeout=4s   (under the web processes' keep-alive)
#
#   the first    traffic, from the proxy only
#   "purge"      bans, from the web processes only (HTTP_CACHE_BAN_URLS);
#                never published
#
# The application decides what is shared: a response is stored only if it
# carries X-Cache-Topics (the event topics it shows) and X-Cache-TTL (the
# most it may be kept), which `frontend.page_cache` sets for anonymous pages
# only; everything else passes through untouched.

import std;

include "backends.vcl";

sub vcl_recv {
    # Set below, from the language cookie only: a client's own would be
    # hashed (a new copy per value).
    unset req.http.X-Cache-Language;
    if (req.restarts == 0) {
        # Set by this file only, between a member's two passes (below).
        unset req.http.X-Edge-Reader;
        unset req.http.X-Edge-Url;
        unset req.http.X-Edge-Page;
        unset req.http.X-Edge-Esi;
        unset req.http.X-Edge-Variant;
        unset req.http.X-Edge-Csrf;
        unset req.http.X-Edge-Credentials;
        unset req.http.X-Edge-Authorization;
        unset req.http.X-Edge-Cookie;
        # Only the includes of the pages this cache assembles (below) are asked
        # here, by the cache itself.
        if (req.url ~ "^/_edge/" && !(req.esi_level > 0 && req.url ~ "^/_edge/(menu|csrf)/$")) {
            return (synth(404, "Not Found"));
        }
    }
    if (req.method == "BAN") {
        if (local.socket != "purge") {
            return (synth(405, "Method Not Allowed"));
        }
        # X-Cache-Ban: a regular expression over the stored pages'
        # X-Cache-Topics (forum.http_cache.ban_pattern).
        if (!req.http.X-Cache-Ban) {
            return (synth(400, "X-Cache-Ban missing"));
        }
        if (std.ban("obj.http.X-Cache-Topics ~ " + req.http.X-Cache-Ban)) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    if (local.socket == "purge") {
        return (synth(404, "Not Found"));
    }

    # The proxy appended nothing of its own to X-Forwarded-For; Varnish added
    # the proxy's address, so the web processes trust two hops
    # (TRUSTED_PROXY_COUNT=2, FORWARDED_ALLOW_IPS = this cache).

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Browsers spell the same choice many ways ("fr-FR,fr;q=0.9,en;q=0.8",
    # "fr", "fr-CA,fr;q=0.9"), and pages vary on it: a copy each. The site
    # speaks French and English; the first of the two the reader lists (the
    # header's order is the browser's preference) is what Django would pick,
    # so the header is reduced to it before the lookup, and the page is
    # rendered for exactly that. Neither (or none): the site's default, French
    # (LANGUAGE_CODE).
    if (req.http.Accept-Language ~ "(?i)(^|,)\s*(fr|en)\b") {
        set req.http.Accept-Language = std.tolower(regsub(req.http.Accept-Language, "(?i)^.*?(?:^|,)\s*(fr|en)\b.*$", "\1"));
    } else {
        set req.http.Accept-Language = "fr";
    }
    if (req.restarts == 0) {
        call edge_credentials;
    }
    # A member's own parts of a page assembled here (vcl_backend_response,
    # frontend/views/edge.py): their menu, kept under their credentials, CSRF
    # cookie and language; a token for their CSRF cookie.
    if (req.esi_level > 0 && req.url ~ "^/_edge/(menu|csrf)/$") {
        set req.http.X-Edge-Csrf = "c=" + regsub(req.http.Cookie, "^(.*;\s*)?csrftoken=([^;]*).*$", "\2");
        if (req.url == "/_edge/menu/") {
            set req.http.X-Edge-Credentials = req.http.X-Edge-Credentials + ";" + req.http.X-Edge-Csrf +
                ";l=" + req.http.Accept-Language;
            if (req.http.Cookie ~ "(^|;\s*)django_language=") {
                set req.http.X-Edge-Credentials = req.http.X-Edge-Credentials + ";d=" +
                    regsub(req.http.Cookie, "^(.*;\s*)?django_language=([^;]*).*$", "\2");
            }
        } else {
            set req.http.X-Edge-Credentials = req.http.X-Edge-Csrf;
        }
        unset req.http.X-Edge-Csrf;
        return (hash);
    }
    # A member's page (their session: no Authorization, so credentials are
    # the session cookie) that is the same for every member whose lists are
    # anyone's but for their menu and CSRF tokens (frontend/page_cache.py):
    # what they are is asked as for the lists (the same record); such a
    # member gets the members' copy, assembled here with their own parts.
    # With a well-formed CSRF cookie only: the includes must not set one.
    if (req.restarts == 0 && req.esi_level == 0 && !req.http.Authorization &&
        req.url ~ "^/((recherche|questions/(sans-reponse|populaires|resolues-par-un-rh))/)?(\?.*)?$" &&
        req.http.X-Edge-Credentials && req.http.Cookie ~ "(^|;\s*)csrftoken=[A-Za-z0-9]{32}(;|$)") {
        set req.http.X-Edge-Url = req.url;
        set req.http.X-Edge-Page = "1";
        set req.url = "/_edge/reader/";
        return (hash);
    }
    # A member's thread or tag page, which shows something of them besides
    # their menu (following it, their composer's hints) and, for a thread,
    # counts its reader and reads their notifications about it: the
    # application is asked about this member and page (frontend/views/edge.py,
    # which does that), and names the members' copy that is theirs
    # (X-Edge-Variant), assembled here as above; or "own".
    if (req.restarts == 0 && req.esi_level == 0 && !req.http.Authorization &&
        req.url ~ "^/(questions/[0-9]+/[^/?]+|tags/[^/?]+)/(\?.*)?$" &&
        req.http.X-Edge-Credentials && req.http.Cookie ~ "(^|;\s*)csrftoken=[A-Za-z0-9]{32}(;|$)") {
        set req.http.X-Edge-Url = req.url;
        set req.http.X-Edge-Page = "1";
        set req.url = "/_edge/page" + regsub(req.url, "\?.*$", "");
        return (hash);
    }
    # A member reading the REST thread list or search (a token, or the
    # session cookie). If their lists are anyone's, they get exactly what an
    # anonymous reader gets (forum/http_cache.py): what they are is asked of
    # the application once (api/edge_reader.py, with their credentials, kept
    # under them until banned or READER_SECONDS), then the read restarts.
    if (req.restarts == 0 && req.url ~ "^/api/v1/(threads|search)/(\?.*)?$" && req.http.X-Edge-Credentials) {
        set req.http.X-Edge-Url = req.url;
        set req.url = "/_edge/reader/";
        return (hash);
    }
    # A member reading a thread's REST answers, which show them their votes
    # and reports: the application says whether they took no part in the
    # thread (api/edge_reader.py, kept as the record above), and such a
    # member gets the copy every such member shares ("members").
    if (req.restarts == 0 && req.url ~ "^/api/v1/threads/[0-9]+/answers/(\?.*)?$" && req.http.X-Edge-Credentials) {
        set req.http.X-Edge-Url = req.url;
        set req.url = regsub(req.url, "^/api/v1/threads/([0-9]+)/.*$", "/_edge/answers/\1/");
        return (hash);
    }
    # Any reader of a thread's REST detail, which counts its reader once an
    # hour: the application is asked about each (credentials, or address
    # when there are none) and thread, which counts the view and says which
    # copy is theirs (edge_view), kept as long as a member's record.
    if (req.restarts == 0 && req.url ~ "^/api/v1/threads/[0-9]+/(\?.*)?$") {
        if (!req.http.X-Edge-Credentials) {
            set req.http.X-Edge-Credentials = "ip=" + req.http.X-Forwarded-For;
        }
        set req.http.X-Edge-Url = req.url;
        set req.url = regsub(req.url, "^/api/v1/threads/([0-9]+)/.*$", "/_edge/view/\1/");
        return (hash);
    }
    unset req.http.X-Edge-Credentials;
    if (req.http.X-Edge-Reader == "lists" || req.http.X-Edge-Reader == "members") {
        # Looked up as an anonymous reader's ("lists"), or as the copy every
        # such member shares ("members", vcl_hash); the credentials go back on
        # any request to the application (vcl_backend_fetch), which then
        # answers for the member, and a stored copy must say it is theirs
        # too (vcl_hit, vcl_backend_response).
        if (req.http.Authorization) {
            set req.http.X-Edge-Authorization = req.http.Authorization;
            unset req.http.Authorization;
        }
        if (req.http.Cookie) {
            set req.http.X-Edge-Cookie = req.http.Cookie;
            set req.http.Cookie = regsuball(req.http.Cookie, "(^|;\s*)sessionid=[^;]*", "");
            if (req.http.Cookie !~ "[^;\s]") {
                unset req.http.Cookie;
            }
        }
    }
    # Members and app tokens: their pages are their own.
    if (req.http.Authorization) {
        return (pass);
    }
    # The two cookies an anonymous shared page may be asked with: the language
    # choice (kept, in the hash and for the web process) and a CSRF cookie from
    # an earlier form (no shared page carries a token). Any other (the session,
    # a pending message, anything unknown) makes the page this reader's own.
    # Decided on a copy: a request that passes keeps all its cookies (without
    # its session beside the language a member was served as anonymous).
    # One that is looked up keeps them too, for the fetch: without its CSRF
    # cookie Django would set a new one on every page that is not shared (the
    # login form), breaking the forms open in the reader's other tabs. Its
    # language is in the hash; a stored page's Vary leaves Cookie out
    # (vcl_backend_response).
    if (req.http.Cookie) {
        set req.http.X-Cache-Other-Cookies = regsuball(req.http.Cookie, "(^|;\s*)(django_language|csrftoken)=[^;]*", "");
        if (req.http.X-Cache-Other-Cookies ~ "[^;\s]") {
            unset req.http.X-Cache-Other-Cookies;
            return (pass);
        }
        unset req.http.X-Cache-Other-Cookies;
        if (req.http.Cookie ~ "(^|;\s*)django_language=[A-Za-z-]+(;|$)") {
            set req.http.X-Cache-Language = regsub(req.http.Cookie, "^(.*;\s*)?django_language=([A-Za-z-]+).*$", "\2");
        }
    }
    return (hash);
}

# A member's credentials (a token, the session cookie), for the records the
# application keeps of them (vcl_recv, vcl_hash); unset when there are none.
sub edge_credentials {
    unset req.http.X-Edge-Credentials;
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        set req.http.X-Edge-Credentials = "a=" + req.http.Authorization + ";s=" +
            regsub(req.http.Cookie, "^(.*;\s*)?sessionid=([^;]*).*$", "\2");
    } elsif (req.http.Authorization) {
        set req.http.X-Edge-Credentials = "a=" + req.http.Authorization;
    }
}

sub vcl_hash {
    if (req.http.X-Edge-Credentials) {
        # What the application said of these credentials, or of this thread's
        # reader (vcl_recv).
        hash_data("edge");
        hash_data(req.url);
        hash_data(req.http.host);
        hash_data(req.http.X-Edge-Credentials);
        return (lookup);
    }
    if (req.http.X-Edge-Reader == "members") {
        hash_data("members");
        # Which members' copy of a thread or tag page (vcl_deliver).
        if (req.http.X-Edge-Variant) {
            hash_data(req.http.X-Edge-Variant);
        }
    }
    hash_data(req.url);
    hash_data(req.http.host);
    hash_data(req.http.X-Cache-Language);
    # The REST API negotiates its format (JSON, or the browsable HTML).
    if (req.url ~ "^/api/") {
        hash_data(req.http.Accept);
    }
    return (lookup);
}

sub vcl_hit {
    # A member whose lists are anyone's reads a stored copy only if the
    # application said every such member gets it; anything else is theirs
    # to ask for.
    if ((req.http.X-Edge-Reader == "lists" || req.http.X-Edge-Reader == "members") &&
        obj.http.X-Cache-Members != "same") {
        return (pass);
    }
}

sub vcl_backend_fetch {
    # The web process renders in the reader's chosen language: its cookie
    # was kept (vcl_recv).
    unset bereq.http.X-Cache-Language;
    # A member's credentials, kept aside for the lookup (vcl_recv): the
    # application answers them as them.
    if (bereq.http.X-Edge-Authorization) {
        set bereq.http.Authorization = bereq.http.X-Edge-Authorization;
    }
    if (bereq.http.X-Edge-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Edge-Cookie;
    }
    unset bereq.http.X-Edge-Authorization;
    unset bereq.http.X-Edge-Cookie;
    unset bereq.http.X-Edge-Credentials;
    unset bereq.http.X-Edge-Reader;
    unset bereq.http.X-Edge-Url;
    set bereq.backend = ready_web.backend();
    if (!std.healthy(bereq.backend)) {
        set bereq.backend = any_web.backend();
    }
}

sub vcl_backend_response {
    # A members' page with includes (frontend/page_cache.py): assembled
    # here for each reader, passed or kept. Never compressed here: the
    # reader's CSRF token goes in beside reflected input (BREACH).
    if (beresp.http.X-Edge-Esi == "1") {
        set beresp.do_esi = true;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # A response to a member is stored only if it is what every member
    # whose lists are anyone's gets (X-Cache-Members), or the application's
    # word on the member's credentials (kept under them).
    if ((bereq.http.Authorization || bereq.http.Cookie ~ "(^|;\s*)sessionid=") &&
        beresp.http.X-Cache-Members != "same" && bereq.url !~ "^/_edge/") {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    if (beresp.status == 200 && beresp.http.X-Cache-Topics && beresp.http.X-Cache-TTL && !beresp.http.Set-Cookie) {
        set beresp.ttl = std.duration(beresp.http.X-Cache-TTL + "s", 0s);
        # Never served after its TTL or a ban: exact, not "nearly fresh";
        # but search results (X-Cache-Grace), which may lag what only adds to
        # them, are delivered a little past their TTL while one fetch renews
        # them, instead of every reader of a term waiting for its search.
        set beresp.grace = 0s;
        if (beresp.http.X-Cache-Grace) {
            set beresp.grace = std.duration(beresp.http.X-Cache-Grace + "s", 0s);
        }
        set beresp.keep = 0s;
        unset beresp.http.X-Cache-TTL;
        unset beresp.http.X-Cache-Grace;
        # Stored compressed, once: every browser and the app ask for gzip, and
        # a phone on a mobile network reads a 30-answer thread in a fifth of
        # the bytes. A client that does not ask gets it decompressed. Only
        # shared pages: nothing of one reader is in them (compressing a page
        # with a secret beside reflected input is what BREACH exploits).
        if (beresp.http.Content-Type ~ "^(text/html|application/json)" && !beresp.http.Content-Encoding &&
            !beresp.do_esi) {
            set beresp.do_gzip = true;
        }
        # Varnish matches a stored page's Vary against each request's own
        # headers: with Cookie in it, a reader's CSRF cookie would make a copy
        # per reader. The language is in the hash instead; the browser still
        # gets the application's Vary (vcl_deliver).
        # Authorization likewise, on what every member like the one who
        # fetched it gets (X-Cache-Members): a copy per token otherwise.
        if (beresp.http.Vary ~ "(?i)(^|,)\s*(Cookie|Authorization)\s*(,|$)") {
            set beresp.http.X-Cache-Vary = beresp.http.Vary;
            set beresp.http.Vary = regsub(regsuball(beresp.http.Vary, "(?i)(^|,)\s*(Cookie|Authorization)\s*(?=,|$)", ""), "^\s*,\s*", "");
        }
        return (deliver);
    }
    # Not shared (a member's page that slipped through, an error, a page
    # that changed while it rendered): not stored, and the next readers of
    # this URL are not queued behind each other while it stays so.
    set beresp.uncacheable = true;
    set beresp.ttl = 10s;
    return (deliver);
}

sub vcl_backend_error {
    # A process that refuses the connection (restarting) is skipped, as the
    # proxy did: safe for reads only.
    if ((bereq.method == "GET" || bereq.method == "HEAD") && bereq.retries < 3) {
        return (retry);
    }
}

sub vcl_deliver {
    if (req.http.X-Edge-Url) {
        # The application's word on the reader: their read starts again, as
        # "lists" or "members" only if it said so (an error is "own").
        if (resp.status == 200 && resp.http.X-Edge-Reader ~ "^(lists|members)$") {
            set req.http.X-Edge-Reader = resp.http.X-Edge-Reader;
        } else {
            set req.http.X-Edge-Reader = "own";
        }
        # A page: the members' copy, which the application makes with
        # includes; for a thread or tag page, the one the application named.
        if (req.http.X-Edge-Page && req.http.X-Edge-Reader == "lists") {
            set req.http.X-Edge-Reader = "members";
            set req.http.X-Edge-Esi = "1";
        } elsif (req.http.X-Edge-Page && req.http.X-Edge-Reader == "members" &&
                 resp.http.X-Edge-Variant ~ "^[0-9a-f]{24}$") {
            set req.http.X-Edge-Esi = "1";
            set req.http.X-Edge-Variant = resp.http.X-Edge-Variant;
        } elsif (req.http.X-Edge-Page) {
            set req.http.X-Edge-Reader = "own";
        }
        unset req.http.X-Edge-Page;
        set req.url = req.http.X-Edge-Url;
        unset req.http.X-Edge-Url;
        unset req.http.X-Edge-Credentials;
        return (restart);
    }
    # An include that failed (the application restarting, an error) leaves
    # its place empty rather than an error page inside the reader's page.
    if (req.esi_level > 0 && resp.status != 200) {
        return (synth(204, "No Content"));
    }
    unset resp.http.X-Cache-Members;
    unset resp.http.X-Edge-Reader;
    unset resp.http.X-Edge-Esi;
    unset resp.http.X-Edge-Variant;
    if (resp.http.X-Cache-Vary) {
        set resp.http.Vary = resp.http.X-Cache-Vary;
        unset resp.http.X-Cache-Vary;
    }
    unset resp.http.X-Cache-Topics;
    unset resp.http.X-Cache-TTL;
    unset resp.http.X-Cache-Grace;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
        # The id of the request that rendered it, not of this one.
        unset resp.http.X-Request-ID;
    } else {
        set resp.http.X-Cache = "miss";
    }
    # Stored copies are shared; what the browser may do is the application's
    # Cache-Control ("private, no-cache": revalidate, answered here with 304).
}

sub vcl_synth {
    if (req.esi_level > 0) {
        synthetic("");
        return (deliver);
    }
}
