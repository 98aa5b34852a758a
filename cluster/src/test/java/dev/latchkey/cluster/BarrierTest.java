package dev.latchkey.cluster;

import dev.latchkey.engine.random.Randomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarrierTest {
    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    private final Barrier barrier = Barrier.withRandomKey();

    private static Keyring keyring() {
        return Keyring.create(Randomness.bytes(32), Randomness.bytes(32), Instant.now());
    }

    @Test
    void opensWhatItSealedInVaultsLayout() {
        byte[] sealed = barrier.seal("ssh/roles/web", SECRET);
        assertEquals(4 + 1 + 12 + SECRET.length + 16, sealed.length, "term, version, nonce, ciphertext, tag");
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2}, java.util.Arrays.copyOf(sealed, 5), "term 1, version 2");
        assertArrayEquals(SECRET, barrier.open("ssh/roles/web", sealed));
        assertArrayEquals(new byte[0], barrier.open("k", barrier.seal("k", new byte[0])));
    }

    @Test
    void anyTamperedByteFailsToOpen() {
        byte[] sealed = barrier.seal("k", SECRET);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThrows(BarrierException.class, () -> barrier.open("k", tampered), "byte " + i);
        }
        assertThrows(BarrierException.class, () -> barrier.open("k", new byte[10]));
        byte[] otherTerm = sealed.clone();
        otherTerm[3] = 9;
        assertEquals("sealed value names term 9, which this keyring does not have",
                assertThrows(BarrierException.class, () -> barrier.open("k", otherTerm)).getMessage());
    }

    @Test
    void valueMovedToAnotherKeyFailsToOpen() {
        byte[] sealed = barrier.seal("ssh/roles/a", SECRET);
        BarrierException e = assertThrows(BarrierException.class, () -> barrier.open("ssh/roles/b", sealed));
        assertFalse(e.getMessage().contains("correct horse"));
    }

    @Test
    void anotherKeyFailsToOpen() {
        byte[] sealed = barrier.seal("k", SECRET);
        assertThrows(BarrierException.class, () -> Barrier.withRandomKey().open("k", sealed));
    }

    @Test
    void twoSealsOfOneValueDiffer() {
        assertFalse(java.util.Arrays.equals(barrier.seal("k", SECRET), barrier.seal("k", SECRET)));
    }

    @Test
    void keyIsNeverShown() {
        byte[] key = new byte[32];
        key[0] = 0x7f;
        assertEquals("Barrier[AES-256-GCM]", new Barrier(key).toString());
        assertThrows(IllegalArgumentException.class, () -> new Barrier(new byte[16]));
        assertFalse(keyring().toString().contains("="), "no key material in a keyring's text");
    }

    /**
     * Each rotation adds a term: new values name it, every older value still opens with its own
     * term's key, and nothing sealed under a term opens under another's key.
     */
    @ParameterizedTest(name = "{0} rotations")
    @ValueSource(ints = {1, 2, 5})
    void rotatedTermsSealNewValuesAndOpenOldOnes(int rotations) {
        Barrier b = Barrier.locked();
        Keyring k = keyring();
        b.unlock(k);
        List<byte[]> sealed = new ArrayList<>();
        sealed.add(b.seal("v/1", bytes("term 1")));
        for (int term = 2; term <= rotations + 1; term++) {
            k = k.withNewTerm(Randomness.bytes(32), Instant.now());
            b.install(k);
            assertEquals(term, b.keyring().activeTerm());
            assertEquals(0, b.encryptions(), "counted afresh for each term");
            sealed.add(b.seal("v/" + term, bytes("term " + term)));
            assertEquals(1, b.encryptions());
        }
        for (int term = 1; term <= rotations + 1; term++) {
            byte[] value = sealed.get(term - 1);
            assertEquals(term, AesGcm.term(value), "each value names its term");
            assertEquals("term " + term, new String(b.open("v/" + term, value), StandardCharsets.UTF_8));
            byte[] relabelled = value.clone();
            relabelled[3] = (byte) (term == 1 ? 2 : 1); // claims another term: that key does not open it
            assertThrows(BarrierException.class, () -> b.open("v/" + value.length, relabelled));
        }
    }

    @Test
    void aRotatedKeyringMustKeepEveryTermAndAddOne() {
        Barrier b = Barrier.locked();
        Keyring k = keyring();
        b.unlock(k);
        assertThrows(IllegalArgumentException.class, () -> b.install(k), "no new term");
        assertThrows(IllegalArgumentException.class, () -> b.install(keyring().withNewTerm(new byte[32], Instant.now())
                .withNewTerm(new byte[32], Instant.now())), "terms of another keyring would not open old values");
    }

    @Test
    void aLockedBarrierSealsAndOpensNothingUntilUnlocked() {
        Barrier b = Barrier.locked();
        assertTrue(b.isLocked());
        assertThrows(BarrierSealedException.class, () -> b.seal("k", SECRET));
        assertThrows(BarrierSealedException.class, b::keyring);
        Keyring k = keyring();
        b.unlock(k);
        byte[] sealed = b.seal("k", SECRET);
        byte[] termKey = k.active().key();
        b.lock();
        assertTrue(b.isLocked());
        assertEquals("Vault is sealed", assertThrows(BarrierSealedException.class, () -> b.open("k", sealed)).getMessage());
        assertArrayEquals(new byte[32], termKey, "locking overwrites the keys it held");
        assertArrayEquals(new byte[32], k.rootKey());
    }

    @Test
    void theSameKeyringReopensWhatWasSealedBeforeALock() {
        Keyring k = keyring();
        byte[] serialized = k.serialize();
        Barrier b = Barrier.locked();
        b.unlock(k);
        byte[] sealed = b.seal("k", SECRET);
        b.lock();
        b.unlock(Keyring.deserialize(serialized));
        assertArrayEquals(SECRET, b.open("k", sealed));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
