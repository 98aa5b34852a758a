package dev.latchkey.api;

import dev.latchkey.api.testing.SealedNode;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.lease.MemoryLeaseStore;
import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@code creds} stores its OTP and its lease at once, and answers once both are stored. When one
 * of the two writes fails, the request fails and what the other stored is undone: no OTP is left
 * that no lease will ever end, and no lease is left for an OTP that was never stored. The failures
 * arrive as the storage would deliver them, on another thread, after the request thread has let go.
 */
class HalfStoredCredsTest {
    /** Fails the stage a little later, on another thread, as a cluster's or a disk's write does. */
    private static final Executor LATER = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

    @ParameterizedTest(name = "the {0} write fails")
    @CsvSource({"OTP, true, false", "lease, false, true", "no, false, false"})
    void aHalfStoredCredsLeavesNothingBehind(String which, boolean otpFails, boolean leaseFails) {
        FailingStorage storage = new FailingStorage(new MemoryStorage());
        FailingLeases leases = new FailingLeases(new MemoryLeaseStore());
        NodeOptions options = NodeOptions.inMemory("127.0.0.1", 0).withStorage(storage, barrier -> leases, "inmem");
        try (SealedNode node = SealedNode.start(options)) {
            JsonPath init = node.init(1, 1);
            node.unsealWith(List.of(init.getString("keys[0]")));
            String root = init.getString("root_token");
            node.put(root, "sys/mounts/ssh", "{\"type\":\"ssh\"}").then().statusCode(204);
            node.put(root, "ssh/roles/web", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}")
                    .then().statusCode(204);

            storage.failOtpWrites = otpFails;
            leases.failWrites = leaseFails;
            io.restassured.response.Response creds = node.put(root, "ssh/creds/web", "{\"ip\":\"10.1.2.3\"}");
            storage.failOtpWrites = false;
            leases.failWrites = false;

            int leasesLeft = node.withToken(root).request("LIST", "/v1/sys/leases/lookup/ssh/creds/web/")
                    .then().extract().statusCode() == 404 ? 0
                    : node.withToken(root).request("LIST", "/v1/sys/leases/lookup/ssh/creds/web/")
                            .then().extract().jsonPath().getList("data.keys").size();
            if (otpFails || leaseFails) {
                creds.then().statusCode(500).body("errors[0]", containsString("internal error"));
                assertEquals(0, leasesLeft, "leases left behind");
                assertEquals(0, storage.otpsStored(), "OTP records left behind");
            } else {
                creds.then().statusCode(200);
                assertEquals(1, leasesLeft);
                assertEquals(1, storage.otpsStored());
                node.put("ssh/verify", "{\"otp\":\"" + creds.jsonPath().getString("data.key") + "\"}")
                        .then().statusCode(200).body("data.username", equalTo("ubuntu"));
            }
        }
    }

    private static <T> CompletionStage<T> failingLater(String what) {
        return CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("the " + what + " write failed (as the test made it)");
        }, LATER);
    }

    /** Memory whose OTP writes can be made to fail; everything else passes through. */
    private static final class FailingStorage implements Storage {
        private final MemoryStorage inner;
        volatile boolean failOtpWrites;

        FailingStorage(MemoryStorage inner) {
            this.inner = inner;
        }

        long otpsStored() {
            return inner.keys().stream().filter(k -> k.contains("/otp/")).count();
        }

        @Override
        public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
            if (failOtpWrites && key.contains("/otp/")) {
                return failingLater("OTP");
            }
            // as a cluster does it: stored on another thread, a little later
            return CompletableFuture.supplyAsync(() -> inner.putIfAbsent(key, value), LATER);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return inner.get(key);
        }

        @Override
        public void put(String key, byte[] value) {
            inner.put(key, value);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] value) {
            return inner.putIfAbsent(key, value);
        }

        @Override
        public void delete(String key) {
            inner.delete(key);
        }

        @Override
        public Optional<byte[]> take(String key) {
            return inner.take(key);
        }

        @Override
        public byte[] update(String key, UnaryOperator<byte[]> update) {
            return inner.update(key, update);
        }

        @Override
        public List<String> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public List<String> listPage(String prefix, String after, int limit) {
            return inner.listPage(prefix, after, limit);
        }

        @Override
        public void deletePrefix(String prefix) {
            inner.deletePrefix(prefix);
        }
    }

    /** Memory leases whose asynchronous writes can be made to fail. */
    private static final class FailingLeases implements LeaseStore {
        private final MemoryLeaseStore inner;
        volatile boolean failWrites;

        FailingLeases(MemoryLeaseStore inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<Void> putAsync(Lease lease) {
            if (failWrites) {
                return failingLater("lease");
            }
            return CompletableFuture.runAsync(() -> inner.put(lease), LATER);
        }

        @Override
        public void put(Lease lease) {
            inner.put(lease);
        }

        @Override
        public boolean replace(Lease lease) {
            return inner.replace(lease);
        }

        @Override
        public Optional<Lease> get(String id) {
            return inner.get(id);
        }

        @Override
        public void delete(String id) {
            inner.delete(id);
        }

        @Override
        public List<String> idsWithPrefix(String prefix) {
            return inner.idsWithPrefix(prefix);
        }

        @Override
        public List<String> idsByToken(String tokenAccessor) {
            return inner.idsByToken(tokenAccessor);
        }

        @Override
        public List<String> dueIds(long nowMillis, int limit) {
            return inner.dueIds(nowMillis, limit);
        }
    }
}
