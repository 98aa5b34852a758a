package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.Caller;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.SecretSpec;
import dev.latchkey.testing.BackendHarness;
import dev.latchkey.testing.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An OTP's life on the engine itself: {@code creds} mints it under a role, {@code verify} redeems it once. */
class CredsVerifyTest {
    private final BackendHarness ssh = BackendHarness.create();

    @BeforeEach
    void otpRole() {
        ssh.write("roles/web", Map.of("key_type", "otp", "default_user", "ubuntu", "cidr_list", "10.0.0.0/8",
                "port", 2222)).assertNoContent();
    }

    @Test
    void anOtpIsMintedLeasedAndRedeemedOnce() {
        Map<String, Object> creds = ssh.write("creds/web", Map.of("ip", "10.0.0.5")).data();
        String otp = (String) creds.get("key");
        assertTrue(otp.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), otp);
        assertEquals(Map.of("ip", "10.0.0.5", "key", otp, "key_type", "otp", "port", 2222, "username", "ubuntu"), creds);

        SecretSpec secret = ssh.write("creds/web", Map.of("ip", "10.0.0.6")).secret();
        assertEquals("secret_otp_type", secret.type());
        assertFalse(secret.renewable(), "Vault's OTP leases cannot be renewed");
        assertFalse(secret.internalData().toString().contains(otp), "the lease keeps a hash, never the OTP");

        assertTrue(ssh.backend().isUnauthenticated("verify"), "the host helper verifies without a token");
        assertEquals(Map.of("username", "ubuntu", "ip", "10.0.0.5", "role_name", "web"),
                ssh.as(Caller.ANONYMOUS).write("verify", Map.of("otp", otp)).data());
        ssh.write("verify", Map.of("otp", otp)).assertError(400, "OTP not found");
    }

    @Test
    void revokingTheLeaseForgetsTheOtpAndRevokingAgainIsHarmless() {
        Reply creds = ssh.write("creds/web", Map.of("ip", "10.0.0.7"));
        ssh.revoke(creds.secret());
        ssh.as(Caller.ANONYMOUS).write("verify", Map.of("otp", creds.data().get("key"))).assertError(400, "OTP not found");
        ssh.revoke(creds.secret());
    }

    @Test
    void aLeaseWithoutItsHashIsRefusedAsVaultRefusesIt() {
        EngineException e = assertThrows(EngineException.class,
                () -> ssh.revoke(new SecretSpec("secret_otp_type", false, Map.of())));
        assertEquals("secret is missing internal data", e.getMessage());
    }

    @Test
    void anAddressOutsideTheRoleGetsNoOtp() {
        ssh.write("creds/web", Map.of("ip", "192.168.0.1"))
                .assertError(400, "Error validating IP: IP does not belong to role");
        ssh.write("creds/web", Map.of()).assertError(400, "Missing ip");
        ssh.write("creds/nobody", Map.of("ip", "10.0.0.5")).assertError(400, "Role \"nobody\" not found");
    }
}
