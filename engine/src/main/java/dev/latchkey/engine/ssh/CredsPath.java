package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.net.IpAddress;
import dev.latchkey.engine.ssh.dynamic.DynamicCredentials;
import dev.latchkey.engine.ssh.otp.OtpCredentials;
import dev.latchkey.engine.ssh.role.KeyType;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;

import java.util.List;

/**
 * {@code creds/:role}: a leased credential for (user, ip) under an OTP or dynamic role. The checks
 * run in Vault's order: the IP is present, the role exists, the user is allowed, the IP parses and
 * the role admits it.
 */
final class CredsPath {
    private final RoleStore roles;
    private final ZeroAddressStore zeroAddress;
    private final OtpCredentials otps;
    private final DynamicCredentials dynamicKeys;

    CredsPath(RoleStore roles, ZeroAddressStore zeroAddress, OtpCredentials otps, DynamicCredentials dynamicKeys) {
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
                .orElseThrow(() -> EngineException.user("Role " + GoFormat.q(roleName) + " not found"));
        String username = f.string("username");
        if (username.isEmpty()) {
            if (role.defaultUser().isEmpty()) {
                throw EngineException.user("No default username registered. Use 'username' option");
            }
            username = role.defaultUser();
        }
        TargetPolicy.checkUsername(role, username);
        IpAddress ip = IpAddress.parse(ipText)
                .orElseThrow(() -> EngineException.user("Invalid IP " + GoFormat.q(ipText)));
        TargetPolicy.checkAddress(role, ip, zeroAddress.contains(roleName));
        if (role.keyType() == KeyType.DYNAMIC) {
            return dynamicKeys.issue(role.dynamic(), username, ip.toString(), role.port(), request.cancellation());
        }
        if (role.keyType() != KeyType.OTP) {
            // Vault answers 500 here; the text is what `vault ssh` looks for to switch to CA mode.
            throw EngineException.user("key type unknown");
        }
        // the core leases every secret for the mount's default TTL (SecretSpec)
        return otps.issue(username, ip.toString(), roleName, role.port(), request.mount().defaultLeaseTtl());
    }
}
