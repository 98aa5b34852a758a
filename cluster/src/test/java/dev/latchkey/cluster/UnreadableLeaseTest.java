package dev.latchkey.cluster;

import com.hazelcast.map.IMap;
import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.lease.LeaseStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static dev.latchkey.testing.LeaseStoreContract.lease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lease record nobody can open (forged, or corrupt) in the real lease map: the reaper logs it by
 * ID, sets it aside with back-off and revokes every lease due after it, whatever its batch size.
 */
class UnreadableLeaseTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String FORGED = "ssh/creds/web/0-forged";
    private static final String FORGED_ACCESSOR = "accessor-in-the-forged-record";
    /** No mounts: revoking a lease of an unknown mount just deletes it, which is all these tests need. */
    private static final LeaseManager.Mounts NO_MOUNTS = new LeaseManager.Mounts() {
        @Override
        public Optional<Backend> backend(String mountUuid) {
            return Optional.empty();
        }

        @Override
        public Optional<MountInfo> mount(String mountUuid) {
            return Optional.empty();
        }
    };

    @RegisterExtension
    static final LoneMember MEMBER = new LoneMember();

    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger managerLog = Logger.getLogger(LeaseManager.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final AtomicLong clock = new AtomicLong(NOW);
    private LeaseStore store;
    private LeaseManager manager;

    @BeforeEach
    void start() {
        MEMBER.node().hazelcast().getMap(MemberConfigs.LEASE_MAP).clear();
        store = MEMBER.node().leaseStore();
        manager = new LeaseManager(store, NO_MOUNTS, clock::get);
        managerLog.addHandler(capture);
    }

    @AfterEach
    void stop() {
        managerLog.removeHandler(capture);
    }

    @ParameterizedTest(name = "batches of {0}")
    @CsvSource({"1", "2", "3", "500"})
    void anUnreadableLeaseIsSetAsideAndTheRestAreRevoked(int batch) {
        IMap<String, LeaseEntry> raw = MEMBER.node().hazelcast().getMap(MemberConfigs.LEASE_MAP);
        byte[] forgedBody = ("forged " + FORGED_ACCESSOR).getBytes(StandardCharsets.UTF_8);
        raw.set(FORGED, new LeaseEntry(NOW - 10_000, FORGED_ACCESSOR, forgedBody)); // due first
        for (int i = 1; i <= 4; i++) {
            store.put(lease("ssh/creds/web/" + i, "acc-1", NOW - 1000 + i));
        }

        sweep(batch);
        assertEquals(List.of(FORGED), store.idsWithPrefix(""), "every readable due lease revoked");
        assertEquals(1, count(Level.SEVERE), "logged once, as an error");
        assertEquals(0, manager.revokeDue(batch, Runnable::run), "set aside: not tried again before its back-off");

        clock.addAndGet(1000); // the first back-off
        store.put(lease("ssh/creds/web/5", "acc-1", NOW + 500));
        sweep(batch);
        assertEquals(List.of(FORGED), store.idsWithPrefix(""));
        assertEquals(1, count(Level.WARNING), "tried again once, logged as a warning");

        synchronized (logged) {
            for (LogRecord r : logged) {
                String line = new SimpleFormatter().formatMessage(r);
                assertTrue(line.contains(FORGED), line);
                assertFalse(line.contains(FORGED_ACCESSOR) || line.contains("forged " + FORGED_ACCESSOR),
                        "nothing of the record in the log: " + line);
            }
        }
    }

    /** As the reaper's sweep: batches until one is not full. */
    private void sweep(int batch) {
        int rounds = 0;
        while (manager.revokeDue(batch, Runnable::run) == batch) {
            assertTrue(++rounds < 100, "the sweep ends");
        }
    }

    private long count(Level level) {
        synchronized (logged) {
            return logged.stream().filter(r -> r.getLevel().equals(level)).count();
        }
    }
}
