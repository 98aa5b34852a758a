package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.MemoryStorage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The issuer store's own rules: Vault's single CA becoming the default issuer, names claimed once, the snapshot cache. */
class IssuerStoreTest {
    private static final String PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFH7mvYd5Q8Yv0cR2tj9gQmXcWcCzkU8pZ8m3fB6lH0y\n";
    private static final String PRIVATE = "-----BEGIN OPENSSH PRIVATE KEY-----\n(not parsed here)\n-----END OPENSSH PRIVATE KEY-----\n";

    private static MemoryStorage withLegacyCa() {
        MemoryStorage storage = new MemoryStorage();
        storage.put(IssuerStore.LEGACY_PUBLIC, JsonValues.encode(Map.of("key", PUBLIC)));
        storage.put(IssuerStore.LEGACY_PRIVATE, JsonValues.encode(Map.of("key", PRIVATE)));
        return storage;
    }

    @Test
    void vaultsSingleCaBecomesTheUnnamedDefaultIssuerOnceAndStaysWhereItWas() {
        MemoryStorage storage = withLegacyCa();
        IssuerStore.Snapshot s = new IssuerStore(storage).snapshot();
        assertEquals(1, s.issuers().size());
        IssuerStore.Issuer issuer = s.defaultIssuer().orElseThrow();
        assertEquals("", issuer.name());
        assertEquals(PUBLIC, issuer.publicKey());
        assertEquals(PRIVATE, issuer.privateKeyPem());
        assertTrue(storage.get(IssuerStore.LEGACY_PRIVATE).isPresent(), "the legacy keys are left in place");
        Map<String, Object> log = JsonValues.decode(storage.get(IssuerStore.MIGRATION_LOG).orElseThrow());
        assertEquals(issuer.id(), log.get("issuer_id"));

        // another node (a store over the same storage) migrating at the same time writes the same issuer
        MemoryStorage racing = withLegacyCa();
        IssuerStore one = new IssuerStore(racing);
        IssuerStore two = new IssuerStore(racing);
        String first = one.snapshot().defaultId();
        racing.delete(IssuerStore.MIGRATION_LOG);
        racing.delete(IssuerStore.CONFIG);
        assertEquals(first, two.snapshot().defaultId(), "the migrated issuer's ID comes from the keys");
        assertEquals(1, two.snapshot().issuers().size());
        assertEquals(issuer.id(), first, "and is the same on every mount with these keys");
    }

    @Test
    void aMountWithoutVaultsCaHasNoIssuerAndMigratesNothing() {
        MemoryStorage storage = new MemoryStorage();
        IssuerStore.Snapshot s = new IssuerStore(storage).snapshot();
        assertTrue(s.isEmpty());
        assertFalse(storage.get(IssuerStore.MIGRATION_LOG).isPresent());
        EngineException e = assertThrows(EngineException.class, () -> s.resolve("default"));
        assertEquals("no default issuer currently configured", e.getMessage());
    }

    @Test
    void aNameIsClaimedOnceAndReleasedByARename() {
        IssuerStore store = new IssuerStore(new MemoryStorage());
        IssuerStore.Issuer a = store.create("ca", PUBLIC, PRIVATE, false, false).orElseThrow();
        EngineException taken = assertThrows(EngineException.class, () -> store.create("ca", PUBLIC, PRIVATE, false, false));
        assertEquals("issuer name already in use", taken.getMessage());
        store.rename(a, "ca-old");
        assertEquals(a.id(), store.snapshot().resolve("ca-old").id());
        assertTrue(store.create("ca", PUBLIC, PRIVATE, false, false).isPresent(), "the old name is free again");
        assertTrue(store.create("", PUBLIC, PRIVATE, false, true).isEmpty(), "config/ca's way: only a first issuer");
        assertEquals(2, store.snapshot().issuers().size());
    }

    @Test
    void theSnapshotIsRebuiltOnlyWhenTheIssuersChange() {
        IssuerStore store = new IssuerStore(new MemoryStorage());
        store.create("a", PUBLIC, PRIVATE, false, false);
        IssuerStore.Snapshot first = store.snapshot();
        assertTrue(first == store.snapshot(), "no change, the same snapshot");
        store.create("b", PUBLIC, PRIVATE, true, false);
        IssuerStore.Snapshot second = store.snapshot();
        assertFalse(first == second);
        assertEquals(second.resolve("b").id(), second.defaultId());
    }
}
