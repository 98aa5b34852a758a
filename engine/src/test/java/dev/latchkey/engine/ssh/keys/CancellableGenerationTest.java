package dev.latchkey.engine.ssh.keys;

import dev.latchkey.engine.framework.Cancellation;
import dev.latchkey.engine.framework.EngineException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RSA generation stops when its client has gone: the cancellation turns true after a number of
 * questions, and the generator must ask again within one more random draw and then stop, however
 * large the key. Asking once before any work means a client already gone costs nothing at all.
 * Every generation draws at least six times (a start and two Miller-Rabin rounds per prime), so the
 * rows' counts are always reached.
 */
class CancellableGenerationTest {

    /** A cancellation that says "gone" from its {@code goneAfter}-th question on, and counts the questions. */
    private static final class GoneAfter implements Cancellation {
        final int goneAfter;
        final AtomicInteger asked = new AtomicInteger();

        GoneAfter(int goneAfter) {
            this.goneAfter = goneAfter;
        }

        @Override
        public boolean requested() {
            return asked.incrementAndGet() > goneAfter;
        }
    }

    @ParameterizedTest(name = "{0}-bit {1}: gone after {2} questions")
    @CsvSource(textBlock = """
            8192, rsa,     0
            8192, rsa,     1
            8192, ssh-rsa, 3
            4096, rsa,     5
            """)
    void generationStopsAtTheNextDrawOnceTheClientHasGone(int bits, String type, int goneAfter) {
        GoneAfter cancellation = new GoneAfter(goneAfter);
        EngineException e = assertThrows(EngineException.class,
                () -> SshKeyGenerator.generate(type, bits, 8192, cancellation));
        assertEquals(EngineException.Kind.CANCELLED, e.kind());
        assertEquals(goneAfter + 1, cancellation.asked.get(), "the first question answered 'gone' ends the work");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            rsa,     2048
            ed25519, 0
            ec,      384
            """)
    void aClientThatStaysGetsItsKey(String type, int bits) {
        GoneAfter never = new GoneAfter(Integer.MAX_VALUE);
        SshPrivateKey key = SshKeyGenerator.generate(type, bits, 8192, never);
        assertTrue(key.publicKey().toLine().startsWith(type.equals("rsa") ? "ssh-rsa " : type.equals("ec")
                ? "ecdsa-sha2-nistp384 " : "ssh-ed25519 "));
        if (type.equals("rsa")) {
            assertTrue(never.asked.get() > 2, "RSA generation asked as it went: " + never.asked.get());
        }
    }
}
