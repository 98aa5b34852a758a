package dev.latchkey.cluster;

import dev.latchkey.cluster.durable.DurableChange;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.cluster.durable.DurableStoreException;
import dev.latchkey.cluster.durable.Space;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.storage.Stages;
import dev.latchkey.testing.LeaseStoreContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single durable node's asynchronous writes (a fresh OTP, a new lease) hold no lock while their
 * commit runs. Until it completes nobody reads the value, every other writer of the key waits for
 * it, and if it fails nothing is left in memory. The store here holds each asynchronous commit
 * until the test lets it complete, which a real disk does too quickly to watch.
 */
class InFlightWriteTest {
    /** Synchronous writes land at once; asynchronous ones wait for {@link #complete} or {@link #fail}. */
    private static final class HeldCommits implements DurableStore {
        private record Held(List<DurableChange> changes, CompletableFuture<Void> commit) {
        }

        private final List<List<DurableChange>> landed = new ArrayList<>();
        private final List<Held> held = new ArrayList<>();

        @Override
        public synchronized void write(List<DurableChange> changes) {
            landed.add(changes);
        }

        @Override
        public synchronized CompletableFuture<Void> writeAsync(List<DurableChange> changes) {
            CompletableFuture<Void> commit = new CompletableFuture<>();
            held.add(new Held(changes, commit));
            return commit;
        }

        /** Lands every held commit, then completes each (as a flusher would: on disk first). */
        void complete() {
            for (Held h : take()) {
                synchronized (this) {
                    landed.add(h.changes());
                }
                h.commit().complete(null);
            }
        }

        void fail() {
            take().forEach(h -> h.commit().completeExceptionally(
                    new DurableStoreException("the disk is full (as the test made it)")));
        }

        private synchronized List<Held> take() {
            List<Held> now = List.copyOf(held);
            held.clear();
            return now;
        }

        synchronized int landedCount() {
            return landed.size();
        }

        @Override
        public void loadAll(Space space, BiConsumer<String, byte[]> sink) {
            // starts empty
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aValueInFlightIsUnseenAndItsKeysOtherWritersWaitForIt() throws Exception {
        HeldCommits disk = new HeldCommits();
        WriteThroughStorage storage = WriteThroughStorage.load(disk, Space.KV);
        CompletionStage<Boolean> stored = storage.putIfAbsentAsync("otp/h", bytes("record"));
        assertFalse(Stages.isDone(stored), "answered before its commit");
        assertTrue(storage.get("otp/h").isEmpty(), "readable before it is durable");

        CompletableFuture<Optional<byte[]>> take = CompletableFuture.supplyAsync(() -> storage.take("otp/h"));
        Thread.sleep(200);
        assertFalse(take.isDone(), "a take of the key went ahead of the write in flight");

        disk.complete();
        assertTrue(Stages.join(stored));
        assertEquals("record", new String(take.get(10, TimeUnit.SECONDS).orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(2, disk.landedCount(), "the put, then the take's delete");
        assertTrue(storage.get("otp/h").isEmpty());
    }

    /** Of two takes of one key, the first holds it until its removal is durable; the second then finds nothing. */
    @Test
    void anAsynchronousTakeIsDurableBeforeItAnswersAndHasOneWinner() throws Exception {
        HeldCommits disk = new HeldCommits();
        WriteThroughStorage storage = WriteThroughStorage.load(disk, Space.KV);
        storage.put("otp/h", bytes("record"));
        CompletionStage<Optional<byte[]>> first = storage.takeAsync("otp/h");
        assertFalse(Stages.isDone(first), "answered before the removal was durable");
        CompletableFuture<Optional<byte[]>> second = CompletableFuture.supplyAsync(
                () -> Stages.join(storage.takeAsync("otp/h")));
        Thread.sleep(200);
        assertFalse(second.isDone(), "a second take went ahead of the first one's removal");
        disk.complete();
        assertEquals("record", new String(Stages.join(first).orElseThrow(), StandardCharsets.UTF_8));
        assertTrue(second.get(10, TimeUnit.SECONDS).isEmpty());
        assertTrue(storage.get("otp/h").isEmpty());

        storage.put("otp/k", bytes("kept"));
        CompletionStage<Optional<byte[]>> failed = storage.takeAsync("otp/k");
        disk.fail();
        assertThrows(DurableStoreException.class, () -> Stages.join(failed));
        assertEquals("kept", new String(storage.get("otp/k").orElseThrow(), StandardCharsets.UTF_8),
                "a take whose removal failed spent nothing");
    }

    @Test
    void aFailedCommitLeavesNothingAndFailsTheStage() {
        HeldCommits disk = new HeldCommits();
        WriteThroughStorage storage = WriteThroughStorage.load(disk, Space.KV);
        CompletionStage<Boolean> stored = storage.putIfAbsentAsync("otp/h", bytes("record"));
        disk.fail();
        assertThrows(DurableStoreException.class, () -> Stages.join(stored));
        assertTrue(storage.get("otp/h").isEmpty());
        storage.put("otp/h", bytes("later")); // the key is settled again: a writer does not wait forever
        assertEquals("later", new String(storage.get("otp/h").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void aLeaseInFlightIsUnseenUntilDurableAndGoneIfItsCommitFails() {
        HeldCommits disk = new HeldCommits();
        WriteThroughLeaseStore leases = WriteThroughLeaseStore.load(disk, Barrier.withRandomKey());
        Lease lease = LeaseStoreContract.lease("ssh/creds/web/a", "acc", System.currentTimeMillis() + 60_000);
        CompletionStage<Void> stored = leases.putAsync(lease);
        assertTrue(leases.get(lease.id()).isEmpty());
        disk.complete();
        Stages.join(stored);
        assertEquals(lease, leases.get(lease.id()).orElseThrow());

        Lease other = LeaseStoreContract.lease("ssh/creds/web/b", "acc", System.currentTimeMillis() + 60_000);
        CompletionStage<Void> failed = leases.putAsync(other);
        disk.fail();
        assertThrows(DurableStoreException.class, () -> Stages.join(failed));
        assertTrue(leases.get(other.id()).isEmpty());
        assertEquals(List.of(lease.id()), leases.idsByToken("acc"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
