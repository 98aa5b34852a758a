package dev.latchkey.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.storage.Stages;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The OTP and lease maps refuse every operation on a member that has not heard from a quorum of
 * members lately (Hazelcast's split-brain protection): on the minority side of a network split,
 * issuing or redeeming an OTP could use one the other side also uses. These wrappers turn that
 * refusal into the client's 503, with what to do about it.
 *
 * <p>They also check again after each operation. An operation that started just before a split
 * could otherwise succeed: its synchronous backup never reaches the other side, and Hazelcast
 * completes it anyway when the backup times out (5 s), while the other side later promotes the
 * backup it holds, without the change. Because the quorum is lost sooner (heartbeats every second,
 * a member silent for 3 s no longer counts), such an operation finds the quorum gone when it
 * returns, and its client is refused: an OTP taken this way is spent on this side, and never
 * accepted here.
 */
final class Quorum {
    static final String NAME = "latchkey-quorum";

    private final BooleanSupplier present;

    Quorum(BooleanSupplier present) {
        this.present = present;
    }

    static Quorum of(HazelcastInstance hazelcast) {
        return new Quorum(() -> hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(NAME)
                .hasMinimumSize());
    }

    /** Whether this member sees a quorum now; never blocks. */
    boolean present() {
        return present.getAsBoolean();
    }

    <T> T guarded(Supplier<T> operation) {
        T result;
        try {
            result = operation.get();
        } catch (SplitBrainProtectionException e) {
            throw noQuorum();
        }
        if (!present.getAsBoolean()) {
            throw noQuorum();
        }
        return result;
    }

    private static EngineException noQuorum() {
        return EngineException.noQuorum();
    }

    private void guarded(Runnable operation) {
        guarded(() -> {
            operation.run();
            return null;
        });
    }

    /**
     * The asynchronous form of {@link #guarded}: a refusal, thrown at once or failing the stage,
     * becomes the 503, and the quorum is checked again once the operation completes.
     */
    <T> CompletionStage<T> guardedAsync(Supplier<CompletionStage<T>> operation) {
        CompletionStage<T> started;
        try {
            started = operation.get();
        } catch (SplitBrainProtectionException e) {
            return CompletableFuture.failedFuture(noQuorum());
        }
        return started.handle((result, failure) -> {
            if (failure != null) {
                throw Stages.cause(failure) instanceof SplitBrainProtectionException ? noQuorum()
                        : Stages.unchecked(failure);
            }
            if (!present.getAsBoolean()) {
                throw noQuorum();
            }
            return result;
        });
    }

    /** {@code storage} with its quorum refusals as 503s. */
    Storage storage(Storage inner) {
        return new Storage() {
            @Override
            public Optional<byte[]> get(String key) {
                return guarded(() -> inner.get(key));
            }

            @Override
            public void put(String key, byte[] value) {
                guarded(() -> inner.put(key, value));
            }

            @Override
            public boolean putIfAbsent(String key, byte[] value) {
                return guarded(() -> inner.putIfAbsent(key, value));
            }

            @Override
            public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
                return guardedAsync(() -> inner.putIfAbsentAsync(key, value));
            }

            @Override
            public CompletionStage<Optional<byte[]>> takeAsync(String key) {
                return guardedAsync(() -> inner.takeAsync(key));
            }

            @Override
            public void delete(String key) {
                guarded(() -> inner.delete(key));
            }

            @Override
            public Optional<byte[]> take(String key) {
                return guarded(() -> inner.take(key));
            }

            @Override
            public byte[] update(String key, UnaryOperator<byte[]> update) {
                return guarded(() -> inner.update(key, update));
            }

            @Override
            public List<String> list(String prefix) {
                return guarded(() -> inner.list(prefix));
            }

            @Override
            public List<String> listPage(String prefix, String after, int limit) {
                return guarded(() -> inner.listPage(prefix, after, limit));
            }

            @Override
            public void deletePrefix(String prefix) {
                guarded(() -> inner.deletePrefix(prefix));
            }
        };
    }

    /** {@code leases} with its quorum refusals as 503s. */
    LeaseStore leases(LeaseStore inner) {
        return new LeaseStore() {
            @Override
            public void put(Lease lease) {
                guarded(() -> inner.put(lease));
            }

            @Override
            public CompletionStage<Void> putAsync(Lease lease) {
                return guardedAsync(() -> inner.putAsync(lease));
            }

            @Override
            public boolean replace(Lease lease) {
                return guarded(() -> inner.replace(lease));
            }

            @Override
            public Optional<Lease> get(String id) {
                return guarded(() -> inner.get(id));
            }

            @Override
            public void delete(String id) {
                guarded(() -> inner.delete(id));
            }

            @Override
            public List<String> idsWithPrefix(String prefix) {
                return guarded(() -> inner.idsWithPrefix(prefix));
            }

            @Override
            public List<String> idsByToken(String tokenAccessor) {
                return guarded(() -> inner.idsByToken(tokenAccessor));
            }

            @Override
            public List<String> dueIds(long nowMillis, int limit) {
                return guarded(() -> inner.dueIds(nowMillis, limit));
            }
        };
    }
}
