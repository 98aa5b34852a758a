package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.SecretSpec;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OTP secret on the engine itself: what {@code creds} mints and leases, and what revoking the
 * lease (or its expiry) does, as the lease manager hands the secret back.
 */
class OtpLeaseTest {
    /** vault-ssh-helper's OTP layout: 16 random bytes as lowercase hex in UUID layout. */
    private static final Pattern OTP_LAYOUT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final BackendHarness ssh = BackendHarness.create();

    @BeforeEach
    void otpRole() {
        ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", "10.0.0.0/8"))
                .assertNoContent();
    }

    private Reply creds(String ip) {
        return ssh.as(BackendHarness.ROOT).write("creds/web", Map.of("ip", ip));
    }

    private Reply verify(Object otp) {
        return ssh.as(Caller.ANONYMOUS).write("verify", Map.of("otp", otp));
    }

    @Test
    void everyOtpHasTheHelpersLayoutAndIsNew() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String otp = (String) creds("10.0.0." + (i + 1)).data().get("key");
            assertTrue(OTP_LAYOUT.matcher(otp).matches(), otp);
            assertTrue(seen.add(otp), "OTP repeated: " + otp);
        }
        assertNotEquals(creds("10.0.0.1").data().get("key"), creds("10.0.0.1").data().get("key"),
                "the same target twice still gets two OTPs");
    }

    @Test
    void theLeaseIsAnOtpSecretThatKeepsOnlyAHash() {
        Reply creds = creds("10.0.0.6");
        SecretSpec secret = creds.secret();
        assertEquals("secret_otp_type", secret.type());
        assertFalse(secret.renewable(), "Vault's OTP leases cannot be renewed");
        assertFalse(secret.internalData().toString().contains((String) creds.data().get("key")),
                "the lease keeps a hash, never the OTP");
    }

    @Test
    void revokingTheLeaseForgetsTheOtpAndRevokingAgainIsHarmless() {
        Reply creds = creds("10.0.0.7");
        ssh.revoke(creds.secret());
        verify(creds.data().get("key")).assertError(400, "OTP not found");
        ssh.revoke(creds.secret());
    }

    @Test
    void theLeaseOfAVerifiedOtpCanStillBeRevoked() {
        Reply creds = creds("10.0.0.13");
        assertEquals("10.0.0.13", verify(creds.data().get("key")).data().get("ip"));
        ssh.revoke(creds.secret());
    }

    @Test
    void aLeaseWithoutItsHashIsRefusedAsVaultRefusesIt() {
        EngineException e = assertThrows(EngineException.class,
                () -> ssh.revoke(new SecretSpec("secret_otp_type", false, Map.of())));
        assertEquals("secret is missing internal data", e.getMessage());
    }
}
