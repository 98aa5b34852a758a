package dev.latchkey.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sys/leader}: Vault's answer for a node without HA storage, which a lone node is. Without HA
 * Vault answers it sealed or not (with HA configured a sealed node would answer 503).
 */
final class SysLeader {
    Reply answer(String method, Map<String, Object> query, byte[] body, String token) {
        if (!method.equals("GET")) {
            return SysPaths.methodNotAllowed();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ha_enabled", false);
        out.put("is_self", false);
        out.put("active_time", "0001-01-01T00:00:00Z");
        out.put("leader_address", "");
        out.put("leader_cluster_address", "");
        out.put("performance_standby", false);
        out.put("performance_standby_last_remote_wal", 0);
        return SysPaths.json(out);
    }
}
