package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.GoQuote;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretSpec;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.ssh.DynamicRole;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code creds} on a dynamic role (spec §3.7.4) and the revocation of its lease (§3.7.6): a fresh
 * RSA key whose public half is installed in the target user's {@code authorized_keys} for as long
 * as the lease lives.
 */
public final class DynamicCredentials {
    public static final String SECRET_TYPE = "secret_dynamic_key_type";

    private final AdminKeyStore adminKeys;
    private final KnownHostStore knownHosts;
    private final AuthorizedKeysEditor editor;

    public DynamicCredentials(AdminKeyStore adminKeys, KnownHostStore knownHosts, TargetHosts hosts) {
        this.adminKeys = adminKeys;
        this.knownHosts = knownHosts;
        this.editor = new AuthorizedKeysEditor(hosts);
    }

    /** Generates, installs and describes the key; {@code ip} is normalised and already allowed by the role. */
    public Response issue(DynamicRole role, String username, String ip, int port) {
        if (!AuthorizedKeysEditor.isAccountName(username)) {
            throw EngineException.user("username " + GoQuote.q(username) + " is not a valid account name: "
                    + "dynamic keys need letters, digits, '.', '_' or '-' (it becomes part of a command on the host)");
        }
        SshPrivateKey adminKey = adminKey(role.key());
        SshPrivateKey key = SshKeyGenerator.dynamicRsa(role.keyBits());
        String line = key.publicKey().toLine();
        if (!role.keyOptionSpecs().isEmpty()) {
            line = role.keyOptionSpecs() + " " + line;
        }
        DynamicLeaseData lease = new DynamicLeaseData(role.adminUser(), username, ip, role.key(), line, port,
                role.installScript(), role.hostKeys(), role.connectTimeoutSeconds(), role.commandTimeoutSeconds());
        try {
            editor.install(login(lease, adminKey), username, line, role.installScript());
        } catch (TargetHostException e) {
            throw new EngineException(EngineException.Kind.UPSTREAM,
                    "failed to add public key to authorized_keys file in target: " + e.getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ip", ip);
        data.put("key", key.toPem());
        data.put("key_type", "dynamic");
        data.put("port", port);
        data.put("username", username);
        return Response.leased(data, new SecretSpec(SECRET_TYPE, 0, true, lease.toInternal()));
    }

    /** Removes the installed line; succeeds if it is already gone. */
    public void revoke(Lease lease) {
        DynamicLeaseData d = DynamicLeaseData.fromInternal(lease.internalData());
        SshPrivateKey adminKey = adminKey(d.hostKeyName());
        try {
            editor.uninstall(login(d, adminKey), d.username(), d.publicKeyLine(), d.installScript());
        } catch (TargetHostException e) {
            throw new EngineException(EngineException.Kind.UPSTREAM,
                    "error removing public key from authorized_keys file in target: " + e.getMessage());
        }
    }

    private SshPrivateKey adminKey(String name) {
        return adminKeys.get(name).orElseThrow(() -> EngineException.user("key " + GoQuote.q(name) + " not found"));
    }

    private AdminLogin login(DynamicLeaseData d, SshPrivateKey adminKey) {
        return new AdminLogin(d.ip(), d.port(), d.adminUser(), adminKey, d.hostKeys().check(knownHosts),
                Duration.ofSeconds(d.connectTimeoutSeconds()), Duration.ofSeconds(d.commandTimeoutSeconds()));
    }
}
