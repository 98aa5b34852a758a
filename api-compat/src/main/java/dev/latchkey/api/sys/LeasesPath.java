package dev.latchkey.api.sys;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code sys/leases/*} and the deprecated {@code sys/renew}, {@code sys/revoke*} aliases. Listing
 * leases and revoking by prefix need {@code sudo}, as in Vault.
 */
final class LeasesPath {
    private static final Logger LOG = Logger.getLogger(LeasesPath.class.getName());

    private final LeaseManager leases;
    private final Executor background;
    private final LongSupplier clock;

    LeasesPath(LeaseManager leases, Executor background, LongSupplier clockMillis) {
        this.leases = leases;
        this.background = background;
        this.clock = clockMillis;
    }

    List<PathSpec> specs() {
        List<PathSpec> specs = new ArrayList<>();
        specs.add(PathSpec.path("leases/lookup").field("lease_id", FieldType.STRING).on(Operation.UPDATE, this::lookup));
        specs.add(PathSpec.path("leases/lookup/(?<prefix>.*)").capture("prefix", "prefix").sudo()
                .on(Operation.LIST, this::list));
        for (String base : List.of("leases/", "")) {
            specs.add(PathSpec.path(base + "renew(?:/(?<id>.+))?").capture("id", "url_lease_id")
                    .field("lease_id", FieldType.STRING).field("increment", FieldType.DURATION)
                    .on(Operation.UPDATE, this::renew));
            specs.add(PathSpec.path(base + "revoke(?:/(?<id>.+))?").capture("id", "url_lease_id")
                    .field("lease_id", FieldType.STRING).field("sync", FieldType.BOOL)
                    .on(Operation.UPDATE, this::revoke));
            specs.add(PathSpec.path(base + "revoke-prefix/(?<prefix>.+)").capture("prefix", "prefix").sudo()
                    .field("sync", FieldType.BOOL).on(Operation.UPDATE, this::revokePrefix));
            specs.add(PathSpec.path(base + "revoke-force/(?<prefix>.+)").capture("prefix", "prefix").sudo()
                    .on(Operation.UPDATE, this::revokeForce));
        }
        return specs;
    }

    private static String leaseId(Fields f) {
        String id = f.string("lease_id");
        if (id.isEmpty()) {
            id = f.string("url_lease_id");
        }
        if (id.isEmpty()) {
            throw EngineException.user("lease_id must be specified");
        }
        return id;
    }

    private Response lookup(Request r, Fields f) {
        String id = f.string("lease_id");
        if (id.isEmpty()) {
            throw EngineException.user("lease_id must be specified");
        }
        Lease lease = leases.lookup(id);
        long now = clock.getAsLong();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("expire_time", lease.expireTime() == 0 ? null : Instant.ofEpochMilli(lease.expireTime()).toString());
        d.put("id", lease.id());
        d.put("issue_time", Instant.ofEpochMilli(lease.issueTime()).toString());
        d.put("last_renewal", lease.lastRenewal() == 0 ? null : Instant.ofEpochMilli(lease.lastRenewal()).toString());
        d.put("renewable", lease.renewable());
        d.put("ttl", lease.expireTime() == 0 ? 0 : Math.max(0, (lease.expireTime() - now) / 1000));
        if (lease.revokeAttempts() > 0) {
            // Beyond Vault: a lease whose revocation keeps failing says why.
            d.put("revoke_attempts", lease.revokeAttempts());
            d.put("revoke_error", lease.lastError());
        }
        return Response.of(d);
    }

    private Response list(Request r, Fields f) {
        String prefix = f.string("prefix");
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (String id : leases.idsWithPrefix(prefix)) {
            String rest = id.substring(prefix.length());
            int slash = rest.indexOf('/');
            keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        keys.remove("");
        if (keys.isEmpty()) {
            return Response.empty();
        }
        return Response.of(Map.of("keys", new ArrayList<>(keys)));
    }

    private Response renew(Request r, Fields f) {
        Lease renewed = leases.renew(leaseId(f), f.seconds("increment"));
        // measured from the renewal instant itself, so a 1h increment answers 3600, not 3599
        long ttl = Math.max(0, (renewed.expireTime() - renewed.lastRenewal()) / 1000);
        return Response.envelopeOnly().withLease(renewed.id(), renewed.renewable(), ttl);
    }

    private Response revoke(Request r, Fields f) {
        String id = leaseId(f);
        if (!f.bool("sync", true)) {
            background.execute(() -> quietly(() -> leases.revoke(id), id));
            return Response.accepted();
        }
        leases.revoke(id);
        return Response.empty();
    }

    private Response revokePrefix(Request r, Fields f) {
        String prefix = f.string("prefix");
        if (!f.bool("sync", true)) {
            background.execute(() -> quietly(() -> leases.revokePrefix(prefix, false), prefix));
            return Response.accepted();
        }
        leases.revokePrefix(prefix, false);
        return Response.empty();
    }

    private Response revokeForce(Request r, Fields f) {
        leases.revokePrefix(f.string("prefix"), true);
        return Response.empty();
    }

    private static void quietly(Runnable work, String what) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "asynchronous revocation of {0} failed: {1}", new Object[] {what, e.getMessage()});
        }
    }
}
