package dev.latchkey.engine.lease;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseCodecTest {

    private static Lease lease(String mountUuid, Map<String, Object> internal, String error) {
        return new Lease("ssh/creds/web/abc", mountUuid, "secret_otp_type", internal, "acc", 1_700_000_000_123L,
                1_700_003_600_123L, 1_700_000_500_000L, true, 3, error, 1_700_003_600_123L);
    }

    @Test
    void roundTripsEveryFieldWithTheStoreKeptOnesGivenBack() {
        Lease original = lease("0b9f7f49-58cf-4a0a-9c4b-5a3c3f1f3c9d",
                Map.of("otp_hash", "ab".repeat(32), "port", 22, "list", List.of("x")), "host unreachable");
        Lease decoded = LeaseCodec.decode(original.id(), original.tokenAccessor(), original.dueTime(),
                LeaseCodec.encode(original));
        assertEquals(original, decoded);
    }

    @Test
    void aMountIdThatIsNotACanonicalUuidIsKeptAsText() {
        for (String id : List.of("not-a-uuid", "0B9F7F49-58CF-4A0A-9C4B-5A3C3F1F3C9D", "")) {
            Lease original = lease(id, Map.of(), "");
            assertEquals(id, LeaseCodec.decode(original.id(), "acc", 1, LeaseCodec.encode(original)).mountUuid());
        }
    }

    @Test
    void aLongRevocationErrorIsCutRatherThanFailingTheWrite() {
        Lease original = lease("m", Map.of(), "e".repeat(100_000));
        String error = LeaseCodec.decode(original.id(), "acc", 1, LeaseCodec.encode(original)).lastError();
        assertEquals(2000, error.length());
    }

    @Test
    void theBodyIsCompact() {
        byte[] body = LeaseCodec.encode(lease("0b9f7f49-58cf-4a0a-9c4b-5a3c3f1f3c9d",
                Map.of("otp_hash", "ab".repeat(32)), ""));
        assertTrue(body.length < 160, "an OTP lease body should stay small, was " + body.length);
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] body = LeaseCodec.encode(lease("m", Map.of(), ""));
        body[0] = 9;
        assertThrows(IllegalStateException.class, () -> LeaseCodec.decode("x", "acc", 1, body));
    }
}
