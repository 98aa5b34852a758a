package dev.latchkey.api.sys;

import dev.latchkey.api.core.Lockouts;
import dev.latchkey.engine.framework.FieldType;
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
 * {@code sys/locked-users}: the logins locked out after repeated wrong credentials, by mount
 * accessor, in Vault's shape; and {@code sys/locked-users/<accessor>/unlock/<alias>}, which lets
 * one in again before its lockout ends. Relative to the {@code sys/} mount.
 */
final class LockedUsersPath {
    private final Lockouts lockouts;

    LockedUsersPath(Lockouts lockouts) {
        this.lockouts = lockouts;
    }

    List<PathSpec> specs() {
        return List.of(
                PathSpec.path("locked-users").field("mount_accessor", FieldType.STRING).on(Operation.READ, this::list),
                PathSpec.path("locked-users/(?<accessor>[^/]+)/unlock/(?<alias>.+)").capture("accessor", "mount_accessor")
                        .capture("alias", "alias_identifier").on(Operation.UPDATE, this::unlock));
    }

    private Response list(Request r, Fields f) {
        String only = f.string("mount_accessor");
        List<Map<String, Object>> mounts = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, List<String>> e : lockouts.locked().entrySet()) {
            if (!only.isEmpty() && !only.equals(e.getKey())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mount_accessor", e.getKey());
            m.put("counts", e.getValue().size());
            m.put("alias_identifiers", e.getValue());
            mounts.add(m);
            total += e.getValue().size();
        }
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("namespace_id", "root");
        ns.put("namespace_path", "");
        ns.put("counts", total);
        ns.put("mount_accessors", mounts);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("by_namespace", total == 0 ? List.of() : List.of(ns));
        data.put("total", total);
        return Response.of(data);
    }

    private Response unlock(Request r, Fields f) {
        lockouts.unlock(f.string("mount_accessor"), f.string("alias_identifier"));
        return Response.empty();
    }
}
