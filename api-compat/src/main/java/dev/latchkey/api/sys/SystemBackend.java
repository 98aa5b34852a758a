package dev.latchkey.api.sys;

import dev.latchkey.api.core.SystemDefaults;
import dev.latchkey.api.mount.MountTable;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.storage.Storage;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * {@code sys/} paths that touch state: mounts and leases. Health, seal status and leader are
 * answered by the HTTP layer directly, as they need no storage.
 */
public final class SystemBackend extends LogicalBackend {
    public static final String TYPE = "system";

    public SystemBackend(MountTable mounts, LeaseManager leases, Storage logicalStorage, SystemDefaults defaults,
                         String version, Executor background, LongSupplier clockMillis) {
        new MountsPath(mounts, leases, logicalStorage, defaults, version).specs().forEach(this::register);
        new LeasesPath(leases, background, clockMillis).specs().forEach(this::register);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void revoke(Lease lease) {
        // sys/ hands out no secrets.
    }

    /** Whether the ACL must also find {@code sudo} for this request. */
    public static boolean needsSudo(String relativePath, Operation op) {
        return LeasesPath.needsSudo(relativePath, op);
    }
}
