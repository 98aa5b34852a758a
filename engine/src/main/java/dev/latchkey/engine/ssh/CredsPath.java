package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.GoQuote;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretSpec;
import dev.latchkey.engine.net.IpAddress;
import dev.latchkey.engine.ssh.dynamic.DynamicCredentials;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code creds/:role}: a leased credential for (user, ip) under a role (spec §3.4). */
final class CredsPath {
    static final String SECRET_OTP = "secret_otp_type";
    static final String OTP_HASH = "otp_hash";

    private final RoleStore roles;
    private final ZeroAddressStore zeroAddress;
    private final OtpStore otps;
    private final DynamicCredentials dynamicKeys;

    CredsPath(RoleStore roles, ZeroAddressStore zeroAddress, OtpStore otps, DynamicCredentials dynamicKeys) {
        this.roles = roles;
        this.zeroAddress = zeroAddress;
        this.otps = otps;
        this.dynamicKeys = dynamicKeys;
    }

    List<PathSpec> specs() {
        return List.of(PathSpec.path("creds/(?<role>" + PathSpec.NAME + ")")
                .capture("role", "role")
                .field("ip", FieldType.STRING)
                .field("username", FieldType.STRING)
                .on(Operation.UPDATE, this::create));
    }

    private Response create(Request request, Fields f) {
        String roleName = f.string("role");
        String ipText = f.string("ip");
        if (ipText.isEmpty()) {
            throw EngineException.user("Missing ip");
        }
        SshRole role = roles.get(roleName)
                .orElseThrow(() -> EngineException.user("Role " + GoQuote.q(roleName) + " not found"));
        String username = f.string("username");
        if (username.isEmpty()) {
            if (role.defaultUser().isEmpty()) {
                throw EngineException.user("No default username registered. Use 'username' option");
            }
            username = role.defaultUser();
        }
        TargetPolicy.checkUsername(role, username);
        IpAddress ip = IpAddress.parse(ipText)
                .orElseThrow(() -> EngineException.user("Invalid IP " + GoQuote.q(ipText)));
        TargetPolicy.checkAddress(role, ip, zeroAddress.contains(roleName));
        if (role.keyType() == KeyType.DYNAMIC) {
            return dynamicKeys.issue(role.dynamic(), username, ip.toString(), role.port());
        }
        if (role.keyType() != KeyType.OTP) {
            // Vault answers 500 here; the text is what `vault ssh` looks for to switch to CA mode.
            throw EngineException.user("key type unknown");
        }
        String normalised = ip.toString();
        OtpStore.Issued issued = otps.issue(new OtpStore.Binding(username, normalised, roleName));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ip", normalised);
        data.put("key", issued.otp());
        data.put("key_type", KeyType.OTP.wire());
        data.put("port", role.port());
        data.put("username", username);
        return Response.leased(data, new SecretSpec(SECRET_OTP, 0, false, Map.of(OTP_HASH, issued.hash())));
    }
}
