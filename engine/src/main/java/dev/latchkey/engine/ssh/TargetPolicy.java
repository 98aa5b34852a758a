package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.net.CidrList;
import dev.latchkey.engine.net.IpAddress;
import dev.latchkey.engine.ssh.role.SshRole;

/** Which users and addresses an OTP or dynamic role admits, as {@code creds} checks them. */
final class TargetPolicy {
    private TargetPolicy() {
    }

    /** Step 4 of creds: the username must be allowed, or be the role's default user. */
    static void checkUsername(SshRole role, String username) {
        String allowed = role.allowedUsers();
        if (allowed.isEmpty()) {
            if (!username.equals(role.defaultUser())) {
                throw EngineException.user(
                        "Username has to be either in allowed users list or has to be a default username");
            }
            return;
        }
        if (allowed.equals("*") || username.equals(role.defaultUser())) {
            return;
        }
        for (String item : allowed.split(",", -1)) {
            if (item.strip().equals(username)) {
                return;
            }
        }
        throw EngineException.user("Username is not present is allowed users list");
    }

    /** Step 6 of creds: zero-address roles admit any IP; others need a CIDR match and no exclusion. */
    static void checkAddress(SshRole role, IpAddress ip, boolean zeroAddress) {
        if (zeroAddress) {
            return;
        }
        try {
            if (role.cidrList().isBlank() || !CidrList.anyContains(role.cidrList(), ip)) {
                throw EngineException.user("Error validating IP: IP does not belong to role");
            }
            if (!role.excludeCidrList().isBlank() && CidrList.anyContains(role.excludeCidrList(), ip)) {
                throw EngineException.user("Error validating IP: IP does not belong to role");
            }
        } catch (IllegalArgumentException e) {
            throw EngineException.user("Error validating IP: " + e.getMessage());
        }
    }
}
