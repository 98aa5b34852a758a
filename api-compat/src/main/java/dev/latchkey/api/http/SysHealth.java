package dev.latchkey.api.http;

import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.api.seal.SealStatus;
import dev.latchkey.engine.gocompat.GoStrconv;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/health}: whether this node is initialised, unsealed and active, as the status code a
 * load balancer reads (each overridable with a query parameter, as in Vault) and a JSON body. The
 * first matching state wins: uninitialised (501), sealed (503), else active (200): a lone node is
 * never a standby, but a sealed one reports {@code standby: true}, as Vault's does, because only
 * becoming active clears the flag.
 */
final class SysHealth {
    private static final List<String> CODE_PARAMS = List.of("uninitcode", "sealedcode", "drsecondarycode",
            "performancestandbycode", "standbycode", "haunhealthycode", "removedcode", "activecode");
    private static final List<String> BOOL_PARAMS = List.of("standbyok", "perfstandbyok");

    private final SystemInfo info;
    private final SealCore core;

    SysHealth(SystemInfo info, SealCore core) {
        this.info = info;
        this.core = core;
    }

    /** GET, or HEAD for the status code alone. */
    Reply answer(String method, Map<String, Object> query, byte[] body, String token) {
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return SysPaths.methodNotAllowed();
        }
        for (String p : CODE_PARAMS) {
            String v = text(query, p);
            if (v != null && parseCode(v) < 0) {
                return Renderer.error(400, "invalid value for " + p + ": " + v + " is not an HTTP status code");
            }
        }
        for (String p : BOOL_PARAMS) {
            String v = text(query, p);
            if (v != null && !v.isEmpty() && GoStrconv.parseBoolOrNull(v) == null) {
                return Renderer.error(400, "invalid value for " + p + ": " + v + " is not a boolean");
            }
        }
        SealStatus seal = core.status();
        int status;
        if (!seal.initialized()) {
            status = code(query, "uninitcode", 501);
        } else if (seal.sealed()) {
            status = code(query, "sealedcode", 503);
        } else {
            status = code(query, "activecode", 200);
        }
        if (head) {
            return new Reply(status, Renderer.JSON, null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("initialized", seal.initialized());
        out.put("sealed", seal.sealed());
        out.put("standby", seal.sealed());
        out.put("performance_standby", false);
        out.put("replication_performance_mode", "disabled");
        out.put("replication_dr_mode", "disabled");
        out.put("server_time_utc", Instant.now().getEpochSecond());
        out.put("version", info.version());
        out.put("enterprise", false);
        if (!seal.sealed()) {
            out.put("cluster_name", info.clusterName());
            out.put("cluster_id", info.clusterId());
        }
        out.put("echo_duration_ms", 0);
        out.put("clock_skew_ms", 0);
        out.put("replication_primary_canary_age_ms", 0);
        return new Reply(status, Renderer.JSON, Json.write(out));
    }

    /** The status for a state: its query parameter's code when given (already checked), else the default. */
    private static int code(Map<String, Object> query, String param, int fallback) {
        String v = text(query, param);
        return v == null ? fallback : parseCode(v);
    }

    private static String text(Map<String, Object> query, String name) {
        Object v = query.get(name);
        return v == null ? null : v.toString();
    }

    /** A status code Go's http server can write (100–999), or -1. */
    private static int parseCode(String v) {
        try {
            int code = Integer.parseInt(v);
            return code >= 100 && code <= 999 ? code : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
