package dev.latchkey.api.sys;

import dev.latchkey.api.acl.PolicyStore;
import dev.latchkey.api.audit.AuditLog;
import dev.latchkey.api.core.ClusterView;
import dev.latchkey.api.core.Lockouts;
import dev.latchkey.api.identity.TokenAcls;
import dev.latchkey.api.metrics.Metrics;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.api.seal.KeyringPaths;
import dev.latchkey.api.seal.SealCore;
import dev.latchkey.api.token.TokenStore;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.lease.LeaseManager;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * {@code sys/} paths that touch state: mounts, leases, ACL policies and capabilities, and the barrier's key terms. Health, seal
 * status, unseal, seal and leader are answered by the HTTP layer directly: they must answer while
 * the node is sealed.
 */
public final class SystemBackend extends LogicalBackend {
    public static final String TYPE = "system";

    public SystemBackend(MountTable mounts, LeaseManager leases, SealCore seal, String version, ClusterView cluster,
                         PolicyStore policies, TokenStore tokens, TokenAcls acls,
                         Lockouts lockouts, AuditLog audit, Executor background, LongSupplier clockMillis,
                         Metrics metrics) {
        MountsPath mountsPath = new MountsPath(mounts, leases, version);
        mountsPath.specs().forEach(this::register);
        new AuthPath(mounts, leases, tokens, mountsPath, version).specs().forEach(this::register);
        new LeasesPath(leases, background, clockMillis).specs().forEach(this::register);
        new KeyringPaths(seal).specs().forEach(this::register);
        new HaStatusPath(cluster, version).specs().forEach(this::register);
        new PoliciesPath(policies).specs().forEach(this::register);
        new CapabilitiesPath(tokens, acls).specs().forEach(this::register);
        new UiMountsPath(mounts, tokens, acls, version).specs().forEach(this::register);
        new LockedUsersPath(lockouts).specs().forEach(this::register);
        new AuditPath(audit).specs().forEach(this::register);
        new MetricsPath(metrics).specs().forEach(this::register);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
