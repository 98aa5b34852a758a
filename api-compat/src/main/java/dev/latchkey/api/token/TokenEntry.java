package dev.latchkey.api.token;

import dev.latchkey.engine.framework.Caller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server knows about a token. The token itself is not part of it: it is stored under a
 * salted hash and only the caller ever holds it.
 *
 * @param creationTime   Unix seconds
 * @param expireTime     epoch milliseconds, 0 when the token never expires
 * @param lastRenewal    epoch milliseconds, 0 when never renewed
 * @param numUses        remaining uses, 0 for unlimited
 * @param parentAccessor "" for orphans
 * @param role           the token role it was created through, "" for none
 * @param entityId       the identity entity of the login that made it, "" for none
 * @param boundCidrs     the addresses it may be used from; empty for anywhere
 */
public record TokenEntry(String accessor, List<String> policies, String path, Map<String, String> meta,
                         String displayName, int numUses, boolean orphan, String parentAccessor,
                         long creationTime, long creationTtl, long expireTime, long explicitMaxTtl, long period,
                         boolean renewable, long lastRenewal, String role, String entityId,
                         List<String> boundCidrs) {

    public TokenEntry {
        policies = List.copyOf(policies);
        meta = Map.copyOf(meta);
        role = role == null ? "" : role;
        entityId = entityId == null ? "" : entityId;
        boundCidrs = boundCidrs == null ? List.of() : List.copyOf(boundCidrs);
    }

    /** A token made without a login: no entity, usable from anywhere. */
    public TokenEntry(String accessor, List<String> policies, String path, Map<String, String> meta,
                      String displayName, int numUses, boolean orphan, String parentAccessor,
                      long creationTime, long creationTtl, long expireTime, long explicitMaxTtl, long period,
                      boolean renewable, long lastRenewal, String role) {
        this(accessor, policies, path, meta, displayName, numUses, orphan, parentAccessor, creationTime, creationTtl,
                expireTime, explicitMaxTtl, period, renewable, lastRenewal, role, "", List.of());
    }

    /** The token as the identity a request runs under: templates render from it. */
    public Caller caller() {
        return new Caller(displayName, accessor, meta);
    }

    public boolean isRoot() {
        return policies.contains("root");
    }

    public boolean isExpiredAt(long nowMillis) {
        return expireTime > 0 && expireTime <= nowMillis;
    }

    TokenEntry withUses(int remaining) {
        return new TokenEntry(accessor, policies, path, meta, displayName, remaining, orphan, parentAccessor,
                creationTime, creationTtl, expireTime, explicitMaxTtl, period, renewable, lastRenewal, role, entityId, boundCidrs);
    }

    TokenEntry renewed(long nowMillis, long newExpireTime) {
        return new TokenEntry(accessor, policies, path, meta, displayName, numUses, orphan, parentAccessor,
                creationTime, creationTtl, newExpireTime, explicitMaxTtl, period, renewable, nowMillis, role, entityId, boundCidrs);
    }

    /** This entry with no parent any more: its parent was revoked without its children. */
    TokenEntry orphaned() {
        return new TokenEntry(accessor, policies, path, meta, displayName, numUses, true, "",
                creationTime, creationTtl, expireTime, explicitMaxTtl, period, renewable, lastRenewal, role, entityId, boundCidrs);
    }

    Map<String, Object> toStorage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accessor", accessor);
        m.put("policies", policies);
        m.put("path", path);
        m.put("meta", meta);
        m.put("display_name", displayName);
        m.put("num_uses", numUses);
        m.put("orphan", orphan);
        m.put("parent_accessor", parentAccessor);
        m.put("creation_time", creationTime);
        m.put("creation_ttl", creationTtl);
        m.put("expire_time", expireTime);
        m.put("explicit_max_ttl", explicitMaxTtl);
        m.put("period", period);
        m.put("renewable", renewable);
        m.put("last_renewal", lastRenewal);
        if (!role.isEmpty()) {
            m.put("role", role);
        }
        if (!entityId.isEmpty()) {
            m.put("entity_id", entityId);
        }
        if (!boundCidrs.isEmpty()) {
            m.put("bound_cidrs", boundCidrs);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static TokenEntry fromStorage(Map<String, Object> m) {
        return new TokenEntry((String) m.get("accessor"), (List<String>) m.get("policies"), (String) m.get("path"),
                (Map<String, String>) m.get("meta"), (String) m.get("display_name"), num(m, "num_uses").intValue(),
                Boolean.TRUE.equals(m.get("orphan")), (String) m.get("parent_accessor"),
                num(m, "creation_time").longValue(), num(m, "creation_ttl").longValue(),
                num(m, "expire_time").longValue(), num(m, "explicit_max_ttl").longValue(),
                num(m, "period").longValue(), Boolean.TRUE.equals(m.get("renewable")),
                num(m, "last_renewal").longValue(), (String) m.get("role"), (String) m.get("entity_id"),
                (List<String>) m.get("bound_cidrs"));
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n : 0;
    }
}
