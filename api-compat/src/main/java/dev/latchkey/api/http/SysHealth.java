package dev.latchkey.api.http;

import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.engine.gocompat.GoStrconv;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/health}: whether this node is initialised, unsealed and active, as the status code a
 * load balancer reads (each overridable with a query parameter, as in Vault) and a JSON body. A
 * dev node is always initialised, unsealed and active.
 */
final class SysHealth {
    private static final List<String> CODE_PARAMS = List.of("uninitcode", "sealedcode", "drsecondarycode",
            "performancestandbycode", "standbycode", "haunhealthycode", "removedcode", "activecode");
    private static final List<String> BOOL_PARAMS = List.of("standbyok", "perfstandbyok");

    private final SystemInfo info;

    SysHealth(SystemInfo info) {
        this.info = info;
    }

    /** GET, or HEAD for the status code alone. */
    Reply answer(String method, Map<String, Object> query, byte[] body) {
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
        String active = text(query, "activecode");
        int status = active == null ? 200 : parseCode(active);
        if (head) {
            return new Reply(status, Renderer.JSON, null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("initialized", true);
        out.put("sealed", false);
        out.put("standby", false);
        out.put("performance_standby", false);
        out.put("replication_performance_mode", "disabled");
        out.put("replication_dr_mode", "disabled");
        out.put("server_time_utc", Instant.now().getEpochSecond());
        out.put("version", info.version());
        out.put("enterprise", false);
        out.put("cluster_name", info.clusterName());
        out.put("cluster_id", info.clusterId());
        out.put("echo_duration_ms", 0);
        out.put("clock_skew_ms", 0);
        out.put("replication_primary_canary_age_ms", 0);
        return new Reply(status, Renderer.JSON, Json.write(out));
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
