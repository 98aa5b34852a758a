package dev.latchkey.api;

import dev.latchkey.api.config.ServerOptions;
import dev.latchkey.api.seal.StaticSeal;
import dev.latchkey.cluster.Barrier;
import dev.latchkey.cluster.MemberSpec;
import dev.latchkey.cluster.durable.DurableStore;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.lease.MemoryLeaseStore;
import dev.latchkey.engine.storage.MemoryStorage;
import dev.latchkey.engine.storage.Storage;

import java.util.function.Function;

/**
 * What a production node ({@link LatchkeyServer#start}) is started with. It starts sealed, and
 * uninitialised until {@code sys/init} runs once over its storage.
 *
 * @param server      the listener, its limits, the thread pools and the lease TTLs
 * @param storage     everything the node keeps: sealed values and, beside them, the seal's own
 *                    records; a node restarted over the same storage finds its data again
 * @param leases      makes the store its leases live in, given the node's barrier: a store that keeps
 *                    leases outside the process seals them with it
 * @param storageType what {@code sys/seal-status} reports as {@code storage_type}
 * @param staticSeal  OpenBao's {@code seal "static"} auto-unseal, or null for Shamir key shares
 * @param durable     a store on disk or in a database that the node loads at start and writes every
 *                    change through to, in place of {@code storage} and {@code leases}; null for memory
 * @param member      null for a node on its own; otherwise the cluster it joins, whose maps hold its data
 */
public record NodeOptions(ServerOptions server, Storage storage, Function<Barrier, LeaseStore> leases, String storageType,
                          StaticSeal staticSeal, DurableStore durable, MemberSpec member) {
    /** A node in memory (Vault's {@code storage "inmem"}) with the Shamir seal, listening on host:port. */
    public static NodeOptions inMemory(String host, int port) {
        MemoryLeaseStore leases = new MemoryLeaseStore();
        return new NodeOptions(ServerOptions.defaults(host, port), new MemoryStorage(), barrier -> leases, "inmem", null,
                null, null);
    }

    public NodeOptions withStaticSeal(StaticSeal seal) {
        return new NodeOptions(server, storage, leases, storageType, seal, durable, member);
    }

    /** This node over other storage; {@code leases} is called once, when the node starts. */
    public NodeOptions withStorage(Storage storage, Function<Barrier, LeaseStore> leases, String storageType) {
        return new NodeOptions(server, storage, leases, storageType, staticSeal, durable, member);
    }

    /** This node over a durable store (Vault's {@code storage "file"} or {@code "postgresql"}), which it owns. */
    public NodeOptions withDurableStore(DurableStore store, String storageType) {
        return new NodeOptions(server, storage, leases, storageType, staticSeal, store, member);
    }

    /**
     * This node as a member of a configured cluster, its data in the cluster's maps (Vault's
     * {@code storage "inmem"} shared by every member).
     */
    public NodeOptions asMember(MemberSpec spec) {
        return new NodeOptions(server, storage, leases, storageType, staticSeal, durable, spec);
    }

    public NodeOptions withServer(ServerOptions server) {
        return new NodeOptions(server, storage, leases, storageType, staticSeal, durable, member);
    }
}
