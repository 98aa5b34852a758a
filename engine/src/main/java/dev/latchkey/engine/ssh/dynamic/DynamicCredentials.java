package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.Cancellation;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretType;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.ssh.role.DynamicRole;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code creds} on a dynamic role: a fresh RSA key whose public half is installed in the target
 * user's {@code authorized_keys} for as long as its lease lives (see {@link DynamicKeySecret}).
 */
public final class DynamicCredentials {
    private final AuthorizedKeysEditor editor;
    private final DynamicKeySecret secret;
    private final SshEvents events;

    public DynamicCredentials(AdminKeyStore adminKeys, KnownHostStore knownHosts, TargetHosts hosts, SshEvents events) {
        this.editor = new AuthorizedKeysEditor(hosts);
        this.secret = new DynamicKeySecret(adminKeys, knownHosts, editor, events);
        this.events = events;
    }

    /** The secret type these credentials are leased as, for the backend to register. */
    public SecretType secretType() {
        return secret.type();
    }

    /** Generates, installs and describes the key; {@code ip} is normalised and already allowed by the role. */
    public Response issue(DynamicRole role, String username, String ip, int port, Cancellation cancellation) {
        HostText.requireAccountName("username", username);
        // again at use: a role stored before these rules existed may hold anything
        HostText.requireNoControlCharacters("admin_user", role.adminUser());
        HostText.requireNoControlCharacters("key_option_specs", role.keyOptionSpecs());
        SshPrivateKey adminKey = secret.adminKey(role.key());
        SshPrivateKey key = SshKeyGenerator.dynamicRsa(role.keyBits(), cancellation);
        String line = key.publicKey().toLine();
        if (!role.keyOptionSpecs().isEmpty()) {
            line = role.keyOptionSpecs() + " " + line;
        }
        DynamicLeaseData lease = new DynamicLeaseData(role.adminUser(), username, ip, role.key(), line, port,
                role.installScript(), role.hostKeys(), role.connectTimeoutSeconds(), role.commandTimeoutSeconds());
        try {
            editor.install(secret.login(lease, adminKey), username, line, role.installScript());
            events.dynamicKey(SshEvents.KeyChange.INSTALL, true);
        } catch (TargetHostException e) {
            events.dynamicKey(SshEvents.KeyChange.INSTALL, false);
            throw new EngineException(EngineException.Kind.UPSTREAM,
                    "failed to add public key to authorized_keys file in target: " + e.getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ip", ip);
        data.put("key", key.toPem());
        data.put("key_type", "dynamic");
        data.put("port", port);
        data.put("username", username);
        return secret.lease(data, lease);
    }
}
