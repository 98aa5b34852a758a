package dev.latchkey.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.latchkey.engine.storage.Storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The cluster's storage as a member writes it: after a change to a watched key, every other member
 * acts on it before the change returns. Two uses: the keys members cache, whose copies every other
 * member drops (a write that has answered 2xx is then what every member reads on its next request:
 * a revoked token is refused everywhere at once, not when a change event arrives); and the stored
 * keyring beneath the barrier, which every other unsealed member takes up (once {@code sys/rotate}
 * has answered, new values are sealed with the new term on every member). A member that leaves
 * meanwhile is not waited for (it rejoins with empty caches and reads the keyring when it is
 * unsealed); one that does not answer within the bound is logged, and the write still returns.
 */
final class BroadcastingStorage implements Storage {
    private static final Logger LOG = Logger.getLogger(BroadcastingStorage.class.getName());
    static final String EXECUTOR = "latchkey-invalidation";
    private static final long WAIT_SECONDS = 10;

    private final Storage inner;
    private final Predicate<String> watched;
    private final CacheInvalidation.Scope scope;
    private final HazelcastInstance hazelcast;

    private BroadcastingStorage(Storage inner, Predicate<String> watched, CacheInvalidation.Scope scope,
                                HazelcastInstance hazelcast) {
        this.inner = inner;
        this.watched = watched;
        this.scope = scope;
        this.hazelcast = hazelcast;
    }

    /** Changes to keys matching {@code cacheable} drop the other members' cached copies. */
    static Storage droppingCopies(Storage inner, Pattern cacheable, HazelcastInstance hazelcast) {
        return new BroadcastingStorage(inner, key -> cacheable.matcher(key).matches(), CacheInvalidation.Scope.KEY,
                hazelcast);
    }

    /** A new keyring written beneath the barrier is taken up by the other members. */
    static Storage sharingKeyrings(Storage physical, HazelcastInstance hazelcast) {
        return new BroadcastingStorage(physical, KeyringStore.KEYRING_PATH::equals, CacheInvalidation.Scope.KEYRING,
                hazelcast);
    }

    /** Tells every other member of a change, and waits for their answers. */
    static void broadcast(HazelcastInstance hazelcast, CacheInvalidation.Scope scope, String key) {
        Member self = hazelcast.getCluster().getLocalMember();
        Set<Member> others = hazelcast.getCluster().getMembers().stream().filter(m -> !m.equals(self))
                .collect(Collectors.toSet());
        if (others.isEmpty()) {
            return;
        }
        IExecutorService executor = hazelcast.getExecutorService(EXECUTOR);
        Map<Member, Future<Boolean>> answers = executor.submitToMembers(new CacheInvalidation(scope, key), others);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (Map.Entry<Member, Future<Boolean>> e : answers.entrySet()) {
            try {
                e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException failed) {
                Throwable cause = failed.getCause();
                if (!(cause instanceof MemberLeftException) && !(cause instanceof TargetNotMemberException)) {
                    LOG.log(Level.WARNING, "member {0} did not drop its cached copies: {1}",
                            new Object[] {e.getKey().getAddress(), String.valueOf(cause)});
                }
            } catch (TimeoutException slow) {
                LOG.log(Level.WARNING, "member {0} did not confirm dropping its cached copies within {1} s",
                        new Object[] {e.getKey().getAddress(), WAIT_SECONDS});
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void changed(String key) {
        if (watched.test(key)) {
            broadcast(hazelcast, scope, key);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        return inner.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
        inner.put(key, value);
        changed(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value) {
        boolean stored = inner.putIfAbsent(key, value);
        if (stored) {
            changed(key);
        }
        return stored;
    }

    /** Straight through for a key no member caches; the synchronous form, which broadcasts, for one they may. */
    @Override
    public CompletionStage<Boolean> putIfAbsentAsync(String key, byte[] value) {
        return watched.test(key) ? Storage.super.putIfAbsentAsync(key, value) : inner.putIfAbsentAsync(key, value);
    }

    @Override
    public CompletionStage<Optional<byte[]>> takeAsync(String key) {
        return watched.test(key) ? Storage.super.takeAsync(key) : inner.takeAsync(key);
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
        changed(key);
    }

    @Override
    public Optional<byte[]> take(String key) {
        Optional<byte[]> taken = inner.take(key);
        if (taken.isPresent()) {
            changed(key);
        }
        return taken;
    }

    @Override
    public byte[] update(String key, UnaryOperator<byte[]> update) {
        byte[] result = inner.update(key, update);
        changed(key);
        return result;
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
        if (scope == CacheInvalidation.Scope.KEY) {
            broadcast(hazelcast, CacheInvalidation.Scope.PREFIX, prefix);
        }
    }
}
