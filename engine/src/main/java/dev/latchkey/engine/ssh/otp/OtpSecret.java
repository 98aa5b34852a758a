package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretType;

import java.util.Map;

/**
 * The OTP secret, {@code secret_otp_type}: revoking it (or its expiry) forgets the OTP, so it can
 * no longer be verified; it cannot be renewed. The lease keeps only the OTP's salted hash.
 */
final class OtpSecret {
    static final String TYPE = "secret_otp_type";
    private static final String OTP_HASH = "otp_hash";

    private final SecretType type;

    OtpSecret(OtpStore otps) {
        this.type = SecretType.named(TYPE).onRevoke(internal -> otps.deleteByHash(hash(internal)));
    }

    SecretType type() {
        return type;
    }

    Response lease(Map<String, Object> data, String otpHash) {
        return type.lease(data, Map.of(OTP_HASH, otpHash));
    }

    /** Vault's answer when a lease lacks what its secret type needs. */
    private static String hash(Map<String, Object> internal) {
        if (!(internal.get(OTP_HASH) instanceof String hash) || hash.isEmpty()) {
            throw EngineException.user("secret is missing internal data");
        }
        return hash;
    }
}
