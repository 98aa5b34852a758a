package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretType;
import dev.latchkey.engine.ssh.event.SshEvents;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code creds} on an OTP role: a fresh OTP bound to (user, ip, role), leased as {@link OtpSecret}. */
public final class OtpCredentials {
    private final OtpStore otps;
    private final OtpSecret secret;
    private final SshEvents events;

    public OtpCredentials(OtpStore otps, SshEvents events) {
        this.otps = otps;
        this.secret = new OtpSecret(otps);
        this.events = events;
    }

    /** The secret type these credentials are leased as, for the backend to register. */
    public SecretType secretType() {
        return secret.type();
    }

    /**
     * Mints an OTP and starts storing it, the answer holding once it is stored; {@code ip} is normalised and already allowed by the role.
     * {@code leaseTtlSeconds} is the TTL the core will lease it for (the mount's default), which
     * the stored OTP keeps as its own expiry.
     */
    public Response issue(String username, String ip, String roleName, int port, long leaseTtlSeconds) {
        OtpStore.Issued issued = otps.issue(new OtpStore.Binding(username, ip, roleName), leaseTtlSeconds);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ip", ip);
        data.put("key", issued.otp());
        data.put("key_type", "otp");
        data.put("port", port);
        data.put("username", username);
        events.otpIssued(roleName);
        return secret.lease(data, issued.hash()).afterWrites(issued.stored());
    }
}
