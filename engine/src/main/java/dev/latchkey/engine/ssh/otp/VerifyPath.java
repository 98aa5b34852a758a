package dev.latchkey.engine.ssh.otp;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.event.SshEvents;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code verify}: vault-ssh-helper, in a target host's PAM stack, redeems the OTP a user typed;
 * each OTP verifies once. Needs no token. The echo request is the helper's {@code -verify-only}
 * connectivity check. An expired OTP gets the answer of an unknown one (Vault has no such case:
 * its OTP entry lives until its lease is revoked), so the answer never tells that it existed.
 */
public final class VerifyPath {
    static final String ECHO_REQUEST = "verify-echo-request";
    static final String ECHO_RESPONSE = "verify-echo-response";

    private final OtpStore otps;
    private final SshEvents events;

    public VerifyPath(OtpStore otps, SshEvents events) {
        this.otps = otps;
        this.events = events;
    }

    public PathSpec spec() {
        return PathSpec.path("verify")
                .field("otp", FieldType.STRING)
                .unauthenticated()
                .on(Operation.UPDATE, this::verify);
    }

    private Response verify(Request request, Fields f) {
        String otp = f.string("otp");
        if (otp.equals(ECHO_REQUEST)) {
            return Response.of(Map.of("message", ECHO_RESPONSE));
        }
        if (otp.isEmpty()) {
            events.otpRefused(SshEvents.VerifyRefusal.EMPTY);
            throw EngineException.user("OTP not found");
        }
        return Response.later(otps.redeemAsync(otp).thenApply(redeemed -> {
            OtpStore.Binding b = redeemed.binding();
            if (b == null) {
                events.otpRefused(redeemed.expired() ? SshEvents.VerifyRefusal.EXPIRED : SshEvents.VerifyRefusal.UNKNOWN);
                throw EngineException.user("OTP not found");
            }
            events.otpVerified(b.roleName());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("username", b.username());
            data.put("ip", b.ip());
            data.put("role_name", b.roleName());
            return Response.of(data);
        }));
    }
}
