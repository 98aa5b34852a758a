package dev.latchkey.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Run on every other member after a write to a cached key: drops that member's copies of the key
 * (or of every key under a prefix, or of everything when the keyring changed) before the writer
 * answers its client. The member finds its caches in its Hazelcast user context.
 */
final class CacheInvalidation implements Callable<Boolean>, IdentifiedDataSerializable, HazelcastInstanceAware {
    /** What a change drops. */
    enum Scope {
        KEY, PREFIX, KEYRING
    }

    private Scope scope;
    private String key;
    private transient HazelcastInstance member;

    /** For deserialization only. */
    CacheInvalidation() {
    }

    CacheInvalidation(Scope scope, String key) {
        this.scope = scope;
        this.key = key;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public Boolean call() {
        Object caches = member.getUserContext().get(MemberCaches.CONTEXT_KEY);
        if (caches instanceof MemberCaches c) {
            c.apply(scope, key);
            return true;
        }
        return false;
    }

    @Override
    public int getFactoryId() {
        return ClusterSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ClusterSerializableFactory.CACHE_INVALIDATION;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(scope.ordinal());
        out.writeString(key);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int s = in.readInt();
        if (s < 0 || s >= Scope.values().length) {
            throw new IOException("unknown invalidation scope " + s);
        }
        scope = Scope.values()[s];
        key = in.readString();
    }
}
