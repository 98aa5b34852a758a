package dev.latchkey.api.seal;

import dev.latchkey.cluster.Barrier;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.MemoryStorage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle without HTTP: every share count Vault allows, the barrier it opens and closes, the hooks. */
class SealCoreTest {
    private static final class Hooks implements SealCore.Lifecycle {
        final List<String> calls = new ArrayList<>();

        @Override
        public void unsealed() {
            calls.add("unsealed");
        }

        @Override
        public void sealing() {
            calls.add("sealing");
        }

        @Override
        public String createRootToken() {
            calls.add("root token");
            return "hvs.root";
        }
    }

    @ParameterizedTest(name = "{1} of {0}")
    @CsvSource(textBlock = """
            1, 1
            2, 2
            5, 1
            5, 2
            5, 3
            5, 4
            5, 5
            255, 7
            """)
    void initUnsealAndSealForEveryThreshold(int shares, int threshold) {
        MemoryStorage physical = new MemoryStorage();
        Barrier barrier = Barrier.locked();
        Hooks hooks = new Hooks();
        SealCore core = new SealCore(physical, barrier, null, hooks, Instant::now);
        if (shares > 1 && threshold == 1) {
            assertEquals("invalid seal configuration: threshold must be greater than one for multiple shares",
                    assertThrows(SealException.class, () -> core.initialize(InitRequest.shamir(shares, threshold)))
                            .getMessage());
            assertFalse(core.initialized());
            return;
        }
        InitResult init = core.initialize(InitRequest.shamir(shares, threshold));
        assertEquals(List.of("root token", "sealing"), hooks.calls, "the barrier opened for the root token only");
        assertEquals("hvs.root", init.rootToken());
        assertEquals(shares, init.keys().size());
        assertEquals(shares == 1 ? 32 : 33, init.keys().get(0).length);
        assertTrue(core.sealed());
        assertTrue(barrier.isLocked());

        List<byte[]> keys = new ArrayList<>(init.keys());
        Collections.shuffle(keys);
        for (int i = 0; i < threshold - 1; i++) {
            SealStatus s = core.unseal(keys.get(i), false);
            assertEquals(i + 1, s.progress());
            assertTrue(s.sealed());
        }
        SealStatus open = core.unseal(keys.get(threshold - 1), false);
        assertFalse(open.sealed());
        assertFalse(barrier.isLocked());
        byte[] sealed = barrier.seal("k", "v".getBytes(StandardCharsets.UTF_8));

        core.seal();
        assertTrue(core.sealed());
        assertTrue(barrier.isLocked());
        assertEquals(List.of("root token", "sealing", "unsealed", "sealing"), hooks.calls);

        // a restarted core over the same storage: the same shares open the same keys
        Barrier again = Barrier.locked();
        SealCore restarted = new SealCore(physical, again, null, new Hooks(), Instant::now);
        assertTrue(restarted.initialized());
        assertTrue(restarted.sealed());
        Collections.shuffle(keys);
        keys.subList(0, threshold).forEach(k -> restarted.unseal(k, false));
        assertFalse(restarted.sealed());
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), again.open("k", sealed));
    }

    /** Shares from another initialisation combine to a key that opens nothing: Vault's 400, still sealed. */
    @ParameterizedTest(name = "{1} of {0}")
    @CsvSource(textBlock = """
            1, 1
            3, 2
            5, 5
            """)
    void anotherNodesSharesAreTheWrongKey(int shares, int threshold) {
        SealCore core = new SealCore(new MemoryStorage(), Barrier.locked(), null, new Hooks(), Instant::now);
        core.initialize(InitRequest.shamir(shares, threshold));
        SealCore other = new SealCore(new MemoryStorage(), Barrier.locked(), null, new Hooks(), Instant::now);
        List<byte[]> wrong = other.initialize(InitRequest.shamir(shares, threshold)).keys();
        for (int i = 0; i < threshold - 1; i++) {
            core.unseal(wrong.get(i), false);
        }
        SealException e = assertThrows(SealException.class, () -> core.unseal(wrong.get(threshold - 1), false));
        assertEquals(400, e.status());
        assertEquals("unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: "
                + "cipher: message authentication failed", e.getMessage());
        assertTrue(core.sealed());
        assertEquals(0, core.status().progress());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            shamir | static
            static | shamir
            """)
    void storageInitialisedWithAnotherSealIsRefused(String first, String then) {
        MemoryStorage physical = new MemoryStorage();
        StaticSeal stat = StaticSeal.of("k", Randomness.bytes(32));
        SealCore a = new SealCore(physical, Barrier.locked(), first.equals("static") ? stat : null, new Hooks(), Instant::now);
        a.initialize(first.equals("static") ? new InitRequest(0, 0, 0, List.of(), 1, 1, List.of(), "")
                : InitRequest.shamir(1, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SealCore(physical,
                Barrier.locked(), then.equals("static") ? stat : null, new Hooks(), Instant::now));
        assertEquals("storage was initialised with seal type \"" + first + "\" but the configuration names seal type \""
                + then + "\": Latchkey does not migrate seals", e.getMessage());
    }
}
