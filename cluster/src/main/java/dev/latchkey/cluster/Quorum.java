package dev.latchkey.cluster;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The OTP and lease maps refuse every operation on a member that sees fewer members than the
 * quorum (Hazelcast's split-brain protection): on the minority side of a network split, issuing or
 * redeeming an OTP could use one the other side also uses. These wrappers turn that refusal into
 * the client's 503, with what to do about it.
 */
final class Quorum {
    static final String NAME = "latchkey-quorum";

    private Quorum() {
    }

    static <T> T guarded(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SplitBrainProtectionException e) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "no quorum: this node is cut off from most of "
                    + "its cluster and refuses OTPs and leases until it sees a quorum of members again; retry on "
                    + "another node");
        }
    }

    private static void guarded(Runnable operation) {
        guarded(() -> {
            operation.run();
            return null;
        });
    }

    /** {@code storage} with its quorum refusals as 503s. */
    static Storage storage(Storage inner) {
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
            public void deletePrefix(String prefix) {
                guarded(() -> inner.deletePrefix(prefix));
            }
        };
    }

    /** {@code leases} with its quorum refusals as 503s. */
    static LeaseStore leases(LeaseStore inner) {
        return new LeaseStore() {
            @Override
            public void put(Lease lease) {
                guarded(() -> inner.put(lease));
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
