package dev.latchkey.api.http;

import dev.latchkey.api.core.ClusterView;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.seal.KeyringPaths;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.engine.framework.EngineException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sys/leader}. A node on its own answers as Vault does without HA storage, sealed or not. A
 * member of a cluster answers as Vault's active node does, because every Latchkey member serves
 * every request: {@code is_self} true, its own addresses, and the time it was unsealed; sealed, it
 * answers 503 as a sealed Vault node with HA does.
 */
final class SysLeader {
    private final ClusterView cluster;
    private final SealCore core;

    SysLeader(SystemInfo info, SealCore core) {
        this.cluster = info.members();
        this.core = core;
    }

    Reply answer(String method, Map<String, Object> query, byte[] body, String token) {
        if (!method.equals("GET")) {
            return SysPaths.methodNotAllowed();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (!cluster.haEnabled()) {
            out.put("ha_enabled", false);
            out.put("is_self", false);
            out.put("active_time", "0001-01-01T00:00:00Z");
            out.put("leader_address", "");
            out.put("leader_cluster_address", "");
            out.put("performance_standby", false);
            out.put("performance_standby_last_remote_wal", 0);
            return SysPaths.json(out);
        }
        Instant unsealedAt = core.unsealedAt();
        if (core.sealed() || unsealedAt == null) {
            return Renderer.error(EngineException.sealed());
        }
        ClusterView.Member self = cluster.members().stream().filter(ClusterView.Member::self).findFirst()
                .orElse(new ClusterView.Member("", "", "", true, ""));
        out.put("ha_enabled", true);
        out.put("is_self", true);
        out.put("active_time", KeyringPaths.rfc3339Nano(unsealedAt));
        out.put("leader_address", self.apiAddress());
        out.put("leader_cluster_address", self.clusterAddress());
        out.put("performance_standby", false);
        out.put("performance_standby_last_remote_wal", 0);
        return SysPaths.json(out);
    }
}
