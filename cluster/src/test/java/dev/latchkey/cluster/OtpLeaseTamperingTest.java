package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.ssh.SshBackend;
import dev.latchkey.engine.ssh.dynamic.TargetHostException;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import dev.latchkey.engine.storage.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Someone who reaches the lease map of a cluster as a member edits the two fields it keeps in
 * clear for its indexes, as a Hazelcast client of their own would (a compact record built by
 * schema name, without Latchkey's classes): the OTP still expires, and still dies with its token.
 * The SSH engine, the lease manager and the reaper are the server's own, on a Hazelcast member.
 */
class OtpLeaseTamperingTest {
    private static final String LEASE_TYPE = "latchkey.LeaseEntry";
    private static final Caller ROOT = new Caller("root", "accessor-of-root", Map.of());
    private static final TargetHosts NO_TRANSPORT = login -> {
        throw new TargetHostException(login.address(), TargetHostException.Step.CONNECT, "no SSH transport in this test");
    };

    @RegisterExtension
    static final LoneMember MEMBER = new LoneMember();

    private final List<LogRecord> errors = new ArrayList<>();
    private final Logger storeLog = Logger.getLogger(HazelcastLeaseStore.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                synchronized (errors) {
                    errors.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** A mount with a one-hour lease TTL, so only the tampering can end a lease within the test. */
    private final MountInfo mount = new MountInfo("ssh-tamper/", UUID.randomUUID().toString(), "ssh_7a3e9c01", 3600, 3600);
    private Backend ssh;
    private LeaseManager leases;
    private LeaseReaper reaper;

    @BeforeEach
    void start() {
        storeLog.addHandler(capture);
        Storage storage = MEMBER.node().storage(Pattern.compile("logical/[^/]+/otp/.*"), Pattern.compile("core/.*"));
        ssh = new SshBackend(storage.view("logical/" + mount.uuid() + "/"), System::currentTimeMillis, NO_TRANSPORT);
        leases = new LeaseManager(MEMBER.node().leaseStore(), new LeaseManager.Mounts() {
            @Override
            public Optional<Backend> backend(String mountUuid) {
                return mountUuid.equals(mount.uuid()) ? Optional.of(ssh) : Optional.empty();
            }

            @Override
            public Optional<MountInfo> mount(String mountUuid) {
                return mountUuid.equals(mount.uuid()) ? Optional.of(mount) : Optional.empty();
            }
        }, System::currentTimeMillis);
        reaper = new LeaseReaper(leases, 200);
        handle(ROOT, "roles/r", Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", "10.0.0.0/8"));
    }

    @AfterEach
    void stop() {
        reaper.close();
        storeLog.removeHandler(capture);
    }

    /** The due time pushed past the end of time: the lease is revoked anyway, with its OTP. */
    @Test
    void anOtpWhoseDueTimeWasPushedOutStillExpires() {
        Response minted = handle(ROOT, "creds/r", Map.of("ip", "10.0.0.5"));
        Lease lease = leases.register(mount, mount.path() + "creds/r", minted.secret(), ROOT.accessor());

        edit(lease.id(), Long.MAX_VALUE, null);
        // The sealed due time is an hour away; the edit alone earns the lease its end, now.
        await(Duration.ofSeconds(15), "tampered lease revoked", () -> leaseIsGone(lease.id()));
        assertOtpRevoked((String) minted.data().get("key"));
        assertTamperingLogged(lease.id(), null);
    }

    /** The token accessor changed, then the token revoked: the OTP does not survive its token. */
    @Test
    void anOtpWhoseTokenAccessorWasChangedDiesWithItsToken() {
        String accessor = "accessor-" + UUID.randomUUID();
        Caller token = new Caller("token", accessor, Map.of());
        Response minted = handle(token, "creds/r", Map.of("ip", "10.0.0.5"));
        Lease lease = leases.register(mount, mount.path() + "creds/r", minted.secret(), accessor);

        edit(lease.id(), null, "someone-elses-accessor");
        leases.revokeByToken(accessor); // what revoking the token does; the edited index hides the lease from it
        await(Duration.ofSeconds(15), "tampered lease revoked", () -> leaseIsGone(lease.id()));
        assertOtpRevoked((String) minted.data().get("key"));
        assertTamperingLogged(lease.id(), accessor);
    }

    private Response handle(Caller caller, String path, Map<String, Object> fields) {
        return ssh.handle(new Request(Operation.UPDATE, path, fields, "", caller, "127.0.0.1", mount)).await();
    }

    private boolean leaseIsGone(String id) {
        try {
            return MEMBER.node().leaseStore().get(id).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void assertOtpRevoked(String otp) {
        EngineException refused = assertThrows(EngineException.class,
                () -> handle(Caller.ANONYMOUS, "verify", Map.of("otp", otp)));
        assertEquals("OTP not found", refused.getMessage());
        assertEquals(400, refused.kind().status());
    }

    /** Rewrites the lease's clear fields (null: keep), keeping its sealed body as it is. */
    private static void edit(String lease, Long dueTime, String tokenAccessor) {
        IMap<String, Object> map = MEMBER.node().hazelcast().getMap(MemberConfigs.LEASE_MAP);
        Collection<Object[]> rows = map.project(Projections.multiAttribute(
                LeaseEntry.DUE_TIME, LeaseEntry.TOKEN_ACCESSOR, LeaseEntry.BODY), Predicates.equal("__key", lease));
        assertEquals(1, rows.size(), "the lease is in the map");
        Object[] row = rows.iterator().next();
        GenericRecord edited = GenericRecordBuilder.compact(LEASE_TYPE)
                .setInt64(LeaseEntry.DUE_TIME, dueTime != null ? dueTime : (Long) row[0])
                .setString(LeaseEntry.TOKEN_ACCESSOR, tokenAccessor != null ? tokenAccessor : (String) row[1])
                .setArrayOfInt8(LeaseEntry.BODY, (byte[]) row[2])
                .build();
        map.set(lease, edited);
    }

    private void assertTamperingLogged(String lease, String accessor) {
        synchronized (errors) {
            assertTrue(errors.stream().anyMatch(r -> format(r).contains(lease) && format(r).contains("tampered")),
                    "an error names the lease");
            if (accessor != null) {
                assertFalse(errors.stream().anyMatch(r -> format(r).contains(accessor)), "no accessor in the log");
            }
        }
    }

    private static String format(LogRecord record) {
        return new SimpleFormatter().formatMessage(record);
    }

    private static void await(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not reached within " + deadline.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
    }
}
