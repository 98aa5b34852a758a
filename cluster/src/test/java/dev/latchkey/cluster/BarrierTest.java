package dev.latchkey.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BarrierTest {
    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    private final Barrier barrier = Barrier.withRandomKey();

    @Test
    void opensWhatItSealed() {
        byte[] sealed = barrier.seal("ssh/roles/web", SECRET);
        assertEquals(1 + 12 + SECRET.length + 16, sealed.length);
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
    }
}
