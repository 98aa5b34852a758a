package dev.latchkey.engine.lease;

import dev.latchkey.engine.framework.Backend;
import dev.latchkey.engine.framework.LeasedSecret;
import dev.latchkey.engine.framework.MountInfo;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reaper tells what became of each expired lease: revoked, or kept to be retried after a failure. */
class LeaseExpiryEventsTest {
    private static final MountInfo MOUNT = new MountInfo("ssh/", "mount-1", "ssh_00000000", 60, 60);

    @Test
    void aFailedRevocationIsReportedAsRetryingAndItsSuccessAsRevoked() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        Backend flaky = new Backend() {
            @Override
            public String type() {
                return "ssh";
            }

            @Override
            public Response handle(Request request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isUnauthenticated(String path) {
                return false;
            }

            @Override
            public boolean requiresSudo(String path) {
                return false;
            }

            @Override
            public void revoke(LeasedSecret secret) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("the host is down");
                }
            }

            @Override
            public boolean revokesOverNetwork(String secretType) {
                return false;
            }
        };
        List<String> events = new ArrayList<>();
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        LeaseManager manager = new LeaseManager(new MemoryLeaseStore(), new LeaseManager.Mounts() {
            @Override
            public Optional<Backend> backend(String mountUuid) {
                return Optional.of(flaky);
            }

            @Override
            public Optional<MountInfo> mount(String mountUuid) {
                return Optional.of(MOUNT);
            }
        }, clock::get, new LeaseManager.Events() {
            @Override
            public void expiredRevoked(String secretType) {
                events.add("revoked " + secretType);
            }

            @Override
            public void expiredRetrying(String secretType) {
                events.add("retrying " + secretType);
            }
        });
        manager.register(MOUNT, "ssh/creds/web", new SecretSpec("dynamic", false, Map.of()), "accessor");
        clock.addAndGet(61_000);
        manager.revokeDue(10, Runnable::run);
        assertEquals(List.of("retrying dynamic"), events);
        clock.addAndGet(11 * 60_000); // past the longest back-off
        manager.revokeDue(10, Runnable::run);
        assertEquals(List.of("retrying dynamic", "revoked dynamic"), events);
        assertEquals(List.of(), manager.idsWithPrefix(""));
    }
}
