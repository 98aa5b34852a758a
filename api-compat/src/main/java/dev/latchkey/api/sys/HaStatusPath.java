package dev.latchkey.api.sys;

import dev.latchkey.api.core.ClusterView;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sys/ha-status} ({@code read}): the cluster's members in Vault's shape. Every Latchkey
 * member serves requests, so each is listed with {@code active_node: true} and, as Vault lists its
 * active node, {@code last_echo: null}. A node on its own lists itself. Relative to the {@code sys/} mount.
 */
final class HaStatusPath {
    private final ClusterView cluster;
    private final String version;

    HaStatusPath(ClusterView cluster, String version) {
        this.cluster = cluster;
        this.version = version;
    }

    List<PathSpec> specs() {
        return List.of(PathSpec.path("ha-status").on(Operation.READ, this::read));
    }

    private Response read(Request r, Fields f) {
        List<ClusterView.Member> members = cluster.members();
        if (members.isEmpty()) {
            members = List.of(new ClusterView.Member(ClusterView.localHostName(), "", "", true, version));
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (ClusterView.Member m : members) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("hostname", m.hostname());
            node.put("api_address", m.apiAddress());
            node.put("cluster_address", m.clusterAddress());
            node.put("active_node", true);
            node.put("last_echo", null);
            node.put("version", m.version());
            nodes.add(node);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("nodes", nodes);
        return Response.of(data).withDataAtTopLevel();
    }
}
