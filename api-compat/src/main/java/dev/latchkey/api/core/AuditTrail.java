package dev.latchkey.api.core;

import dev.latchkey.api.audit.AuditLog;
import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.mount.MountEntry;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.token.TokenEntry;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Response;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's two audit entries, in Vault's shape: the request entry before the operation (so
 * that, with devices enabled, nothing happens unless one of them has recorded it) and the response
 * entry after it. Entries hold raw values; each device hashes them (see {@link AuditLog}).
 * Requests refused before they run (a bad token, the ACL) are recorded with their error, and a
 * device failure then changes nothing for the client.
 */
final class AuditTrail {
    private final AuditLog log;
    private final String version;
    private final Metrics metrics;

    AuditTrail(AuditLog log, String version, Metrics metrics) {
        this.log = log;
        this.version = version;
        this.metrics = metrics;
    }

    boolean active() {
        return log.active();
    }

    /** Records a request about to run; refuses it (as Vault does, with a 500) when no device could. */
    void request(Call call, Optional<MountTable.Route> route, Optional<TokenStore.Resolved> caller,
                 List<String> identityPolicies) {
        if (!write(entry("request", call, route, caller, identityPolicies, true, null, null), route)) {
            throw new EngineException(EngineException.Kind.INTERNAL, "internal error");
        }
    }

    /** Records a request refused before it ran; a device failure is only logged. */
    void rejected(Call call, Optional<MountTable.Route> route, Optional<TokenStore.Resolved> caller, String error) {
        write(entry("request", call, route, caller, List.of(), false, null, error), route);
        write(entry("response", call, route, caller, List.of(), false, null, error), route);
    }

    /**
     * Records what a request produced, or the error it ended with. When no device can record a
     * success the client gets Vault's 500, although the operation has happened.
     */
    void response(Call call, Optional<MountTable.Route> route, Optional<TokenStore.Resolved> caller,
                  List<String> identityPolicies, Outcome outcome,
                  String error) {
        if (!write(entry("response", call, route, caller, identityPolicies, true, outcome, error), route)
                && error == null) {
            throw new EngineException(EngineException.Kind.INTERNAL, "internal error");
        }
    }

    private boolean write(Map<String, Object> entry, Optional<MountTable.Route> route) {
        Set<String> requestKeys = route.map(r -> (Set<String>) new HashSet<>(r.mount().config().auditNonHmacRequestKeys()))
                .orElse(Set.of());
        Set<String> responseKeys = route.map(r -> (Set<String>) new HashSet<>(r.mount().config().auditNonHmacResponseKeys()))
                .orElse(Set.of());
        long started = System.nanoTime();
        boolean recorded = log.log(entry, requestKeys, responseKeys);
        metrics.audited("request".equals(entry.get("type")), System.nanoTime() - started, recorded);
        return recorded;
    }

    private Map<String, Object> entry(String type, Call call, Optional<MountTable.Route> route,
                                      Optional<TokenStore.Resolved> caller, List<String> identityPolicies,
                                      boolean allowed, Outcome outcome, String error) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.now().toString());
        e.put("type", type);
        caller.ifPresent(c -> e.put("auth", auth(call.token(), c.entry(), identityPolicies, allowed)));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", call.requestId());
        request.put("operation", call.operation().capability());
        route.ifPresent(r -> mount(request, r.mount(), "mount_running_version"));
        if (!call.token().isEmpty()) {
            request.put("client_token", call.token());
            caller.ifPresent(c -> request.put("client_token_accessor", c.entry().accessor()));
        }
        request.put("namespace", Map.of("id", "root"));
        request.put("path", call.path());
        if (call.fields() != null && !call.fields().isEmpty()) {
            request.put("data", call.fields());
        }
        request.put("remote_address", call.clientAddress());
        e.put("request", request);
        if (type.equals("response")) {
            Map<String, Object> response = new LinkedHashMap<>();
            route.ifPresent(r -> mount(response, r.mount(), "mount_running_plugin_version"));
            if (outcome != null) {
                Response r = outcome.response();
                if (r.auth() != null) {
                    response.put("auth", issued(r.auth()));
                }
                if (outcome.lease() != null) {
                    response.put("secret", Map.of("lease_id", outcome.lease().id()));
                }
                if (r.data() != null && !r.data().isEmpty()) {
                    response.put("data", r.data());
                }
                if (!r.warnings().isEmpty()) {
                    response.put("warnings", r.warnings());
                }
            }
            e.put("response", response);
        }
        if (error != null) {
            e.put("error", error);
        }
        return e;
    }

    private void mount(Map<String, Object> into, MountEntry m, String versionKey) {
        into.put("mount_accessor", m.accessor());
        into.put("mount_class", m.isAuth() ? "auth" : "secret");
        into.put("mount_point", m.path());
        into.put(versionKey, "v" + version + "+builtin.vault");
        into.put("mount_type", m.type());
    }

    /**
     * The calling token, as Vault describes it: {@code policies} are all that applied (the token's
     * and its entity's), {@code token_policies} and {@code identity_policies} where each came from.
     * Vault's {@code policy_results} also names the granting policies; here it says only whether
     * the request was allowed.
     */
    private static Map<String, Object> auth(String token, TokenEntry t, List<String> identityPolicies, boolean allowed) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("accessor", t.accessor());
        a.put("client_token", token);
        a.put("display_name", t.displayName());
        if (!t.entityId().isEmpty()) {
            a.put("entity_id", t.entityId());
        }
        if (!t.meta().isEmpty()) {
            a.put("metadata", t.meta());
        }
        if (!identityPolicies.isEmpty()) {
            a.put("identity_policies", identityPolicies);
            java.util.TreeSet<String> all = new java.util.TreeSet<>(t.policies());
            all.addAll(identityPolicies);
            a.put("policies", List.copyOf(all));
        } else {
            a.put("policies", t.policies());
        }
        a.put("policy_results", Map.of("allowed", allowed));
        if (t.numUses() > 0) {
            a.put("remaining_uses", t.numUses());
        }
        a.put("token_issue_time", Instant.ofEpochSecond(t.creationTime()).toString());
        a.put("token_policies", t.policies());
        if (t.creationTtl() > 0) {
            a.put("token_ttl", t.creationTtl());
        }
        a.put("token_type", "service");
        return a;
    }

    /** A token a response hands out, as the response entry shows it (its token and accessor hashed by the device). */
    private static Map<String, Object> issued(Map<String, Object> auth) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (String k : List.of("client_token", "accessor", "policies", "token_policies", "identity_policies",
                "metadata", "entity_id", "token_type", "num_uses")) {
            Object v = auth.get(k);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                a.put(k, v);
            }
        }
        if (auth.get("lease_duration") instanceof Number n && n.longValue() > 0) {
            a.put("token_ttl", n);
        }
        return a;
    }
}
