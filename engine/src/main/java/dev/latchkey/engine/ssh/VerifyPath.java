package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code verify}: the host helper redeems an OTP, once (spec §3.6, §5). Needs no token. */
final class VerifyPath {
    static final String ECHO_REQUEST = "verify-echo-request";
    static final String ECHO_RESPONSE = "verify-echo-response";

    private final OtpStore otps;

    VerifyPath(OtpStore otps) {
        this.otps = otps;
    }

    PathSpec spec() {
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
            throw EngineException.user("OTP not found");
        }
        OtpStore.Binding b = otps.redeem(otp).orElseThrow(() -> EngineException.user("OTP not found"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("username", b.username());
        data.put("ip", b.ip());
        data.put("role_name", b.roleName());
        return Response.of(data);
    }
}
