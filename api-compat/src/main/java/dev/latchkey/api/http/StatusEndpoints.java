package dev.latchkey.api.http;

import dev.latchkey.api.core.SystemInfo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code sys/health}, {@code sys/seal-status} and {@code sys/leader} (spec §2.1, §2.2): no storage,
 * so they are answered on the event loop. A dev node is always initialised, unsealed and active.
 */
public final class StatusEndpoints {
    private static final List<String> CODE_PARAMS = List.of("uninitcode", "sealedcode", "drsecondarycode",
            "performancestandbycode", "standbycode", "haunhealthycode", "removedcode", "activecode");
    private static final List<String> BOOL_PARAMS = List.of("standbyok", "perfstandbyok");

    private final SystemInfo info;

    public StatusEndpoints(SystemInfo info) {
        this.info = info;
    }

    /** The health answer; {@code query} gives the first value of a query parameter or null. */
    Reply health(Function<String, String> query, boolean head) {
        for (String p : CODE_PARAMS) {
            String v = query.apply(p);
            if (v != null && parseCode(v) < 0) {
                return Renderer.error(400, "invalid value for " + p + ": " + v + " is not an HTTP status code");
            }
        }
        for (String p : BOOL_PARAMS) {
            String v = query.apply(p);
            if (v != null && !v.isEmpty() && GoBool.parse(v) == null) {
                return Renderer.error(400, "invalid value for " + p + ": " + v + " is not a boolean");
            }
        }
        String active = query.apply("activecode");
        int status = active == null ? 200 : parseCode(active);
        if (head) {
            return new Reply(status, Renderer.JSON, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initialized", true);
        body.put("sealed", false);
        body.put("standby", false);
        body.put("performance_standby", false);
        body.put("replication_performance_mode", "disabled");
        body.put("replication_dr_mode", "disabled");
        body.put("server_time_utc", Instant.now().getEpochSecond());
        body.put("version", info.version());
        body.put("enterprise", false);
        body.put("cluster_name", info.clusterName());
        body.put("cluster_id", info.clusterId());
        body.put("echo_duration_ms", 0);
        body.put("clock_skew_ms", 0);
        body.put("replication_primary_canary_age_ms", 0);
        return new Reply(status, Renderer.JSON, Json.write(body));
    }

    Reply sealStatus() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "shamir");
        body.put("initialized", true);
        body.put("sealed", false);
        body.put("t", 1);
        body.put("n", 1);
        body.put("progress", 0);
        body.put("nonce", "");
        body.put("version", info.version());
        body.put("build_date", info.buildDate());
        body.put("migration", false);
        body.put("cluster_name", info.clusterName());
        body.put("cluster_id", info.clusterId());
        body.put("recovery_seal", false);
        body.put("storage_type", info.storageType());
        body.put("removed_from_cluster", false);
        return new Reply(200, Renderer.JSON, Json.write(body));
    }

    Reply leader() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ha_enabled", false);
        body.put("is_self", false);
        body.put("active_time", "0001-01-01T00:00:00Z");
        body.put("leader_address", "");
        body.put("leader_cluster_address", "");
        body.put("performance_standby", false);
        body.put("performance_standby_last_remote_wal", 0);
        return new Reply(200, Renderer.JSON, Json.write(body));
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
