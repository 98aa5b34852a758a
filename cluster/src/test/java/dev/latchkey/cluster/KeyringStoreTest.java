package dev.latchkey.cluster;

import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.CorruptRecordException;
import dev.latchkey.engine.storage.MemoryStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keyring in storage: sealed by the root key, the root key sealed by the KEK. */
class KeyringStoreTest {
    private final MemoryStorage physical = new MemoryStorage();
    private final KeyringStore store = new KeyringStore(physical);

    @Test
    void theKekOpensTheRootKeyWhichOpensTheKeyring() throws Exception {
        byte[] kek = Randomness.bytes(32);
        assertFalse(store.exists());
        Keyring made = store.create(kek, Instant.parse("2024-06-07T10:00:00.123456789Z"));
        assertTrue(store.exists());
        Keyring opened = store.open(kek.clone());
        assertArrayEquals(made.rootKey(), opened.rootKey());
        assertEquals(1, opened.activeTerm());
        assertArrayEquals(made.active().key(), opened.active().key());
        assertEquals(Instant.parse("2024-06-07T10:00:00.123456789Z"), opened.active().installTime());
        for (String path : new String[] {KeyringStore.KEYRING_PATH, KeyringStore.ROOT_KEY_PATH}) {
            byte[] stored = physical.get(path).orElseThrow();
            assertFalse(contains(stored, made.rootKey()), "no root key in clear at " + path);
            assertFalse(contains(stored, made.active().key()), "no data key in clear at " + path);
            assertFalse(contains(stored, Base64.getEncoder().encodeToString(made.rootKey()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** A wrong KEK, whatever it is, fails GCM authentication, with the text Vault's unseal answer quotes. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(textBlock = """
            one bit flipped
            all zero
            another random key
            """)
    void aWrongKekIsRefused(String wrong) {
        byte[] kek = Randomness.bytes(32);
        store.create(kek, Instant.now());
        byte[] other = switch (wrong) {
            case "one bit flipped" -> {
                byte[] k = kek.clone();
                k[31] ^= 1;
                yield k;
            }
            case "all zero" -> new byte[32];
            default -> Randomness.bytes(32);
        };
        KeyringStore.WrongKeyException e = assertThrows(KeyringStore.WrongKeyException.class, () -> store.open(other));
        assertEquals("failed to decrypt keys from storage: cipher: message authentication failed", e.getMessage());
    }

    @Test
    void aRotatedKeyringIsStoredWithEveryTerm() throws Exception {
        byte[] kek = Randomness.bytes(32);
        Keyring k = store.create(kek, Instant.now());
        Keyring rotated = k.withNewTerm(Randomness.bytes(32), Instant.now()).withNewTerm(Randomness.bytes(32), Instant.now());
        store.persist(rotated);
        Keyring opened = store.open(kek);
        assertEquals(3, opened.activeTerm());
        assertEquals(3, opened.terms().size());
        for (int term = 1; term <= 3; term++) {
            assertArrayEquals(rotated.term(term).key(), opened.term(term).key());
        }
    }

    @Test
    void recordsMovedBetweenPathsDoNotOpen() {
        byte[] kek = Randomness.bytes(32);
        store.create(kek, Instant.now());
        physical.put(KeyringStore.ROOT_KEY_PATH, physical.get(KeyringStore.KEYRING_PATH).orElseThrow());
        assertThrows(KeyringStore.WrongKeyException.class, () -> store.open(kek));
    }

    /** The sealed view over the same storage neither lists the seal's records nor deletes them in bulk. */
    @Test
    void theSealedViewLeavesTheSealsRecordsAlone() throws Exception {
        byte[] kek = Randomness.bytes(32);
        Keyring keyring = store.create(kek, Instant.now());
        physical.put("core/seal-config", new byte[] {'{', '}'});
        physical.put("core/hsm/kek", new byte[1]);
        Barrier barrier = Barrier.locked();
        barrier.unlock(keyring);
        SealedStorage sealed = new SealedStorage(physical, barrier);
        sealed.put("core/mounts", new byte[] {1});
        sealed.put("core/token/id/abc", new byte[] {2});
        assertEquals(java.util.List.of("core/"), sealed.list(""));
        assertEquals(java.util.List.of("mounts", "token/"), sealed.list("core/"));
        assertEquals(java.util.List.of(), sealed.list("core/hsm/"));
        sealed.deletePrefix("");
        assertEquals(java.util.List.of(), sealed.list(""));
        assertTrue(physical.get("core/mounts").isEmpty());
        for (String record : new String[] {"core/keyring", "core/hsm/barrier-unseal-keys", "core/hsm/kek", "core/seal-config"}) {
            assertTrue(physical.get(record).isPresent(), record + " kept");
        }
        sealed.deletePrefix("core/hsm/");
        assertTrue(physical.get("core/hsm/kek").isPresent());
        assertEquals(1, store.open(kek).activeTerm());
    }

    @Test
    void openingWithNothingStoredSaysSo() {
        assertEquals("no root key is stored: the node is not initialised",
                assertThrows(IllegalStateException.class, () -> store.open(new byte[32])).getMessage());
    }

    @Test
    void keyringsSerialiseAsVaultsAndRefuseGarbage() {
        Keyring k = Keyring.create(Randomness.bytes(32), Randomness.bytes(32), Instant.parse("2024-01-02T03:04:05Z"));
        String json = new String(k.serialize(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"MasterKey\":\""), json.substring(0, 14));
        assertTrue(json.contains("\"Keys\":[{\"Term\":1,\"Version\":1,\"Value\":\""));
        assertTrue(json.contains("\"InstallTime\":\"2024-01-02T03:04:05Z\""));
        Keyring back = Keyring.deserialize(k.serialize());
        assertArrayEquals(k.rootKey(), back.rootKey());
        assertArrayEquals(k.active().key(), back.active().key());
        for (String bad : new String[] {"{}", "{\"MasterKey\":\"AAAA\",\"Keys\":[]}", "[1]", "{\"MasterKey\":5}"}) {
            assertThrows(CorruptRecordException.class, () -> Keyring.deserialize(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
