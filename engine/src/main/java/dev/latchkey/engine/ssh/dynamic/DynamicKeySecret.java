package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.framework.SecretType;
import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;

import java.time.Duration;
import java.util.Map;

/**
 * The dynamic-key secret, {@code secret_dynamic_key_type}: a key installed in a target user's
 * {@code authorized_keys}. Renewing only extends the lease; revoking (or expiry) logs in to the
 * host again and removes exactly the line that was installed, and succeeds if it is already gone.
 */
final class DynamicKeySecret {
    static final String TYPE = "secret_dynamic_key_type";

    private final AdminKeyStore adminKeys;
    private final KnownHostStore knownHosts;
    private final AuthorizedKeysEditor editor;
    private final SecretType type;
    private final SshEvents events;

    DynamicKeySecret(AdminKeyStore adminKeys, KnownHostStore knownHosts, AuthorizedKeysEditor editor, SshEvents events) {
        this.events = events;
        this.adminKeys = adminKeys;
        this.knownHosts = knownHosts;
        this.editor = editor;
        this.type = SecretType.named(TYPE).renewable().revokedOverNetwork()
                .onRevoke(internal -> revoke(DynamicLeaseData.fromInternal(internal)));
    }

    SecretType type() {
        return type;
    }

    Response lease(Map<String, Object> data, DynamicLeaseData lease) {
        return type.lease(data, lease.toInternal());
    }

    private void revoke(DynamicLeaseData d) {
        try {
            editor.uninstall(login(d, adminKey(d.adminKeyName())), d.username(), d.publicKeyLine(),
                    d.installScript());
            events.dynamicKey(SshEvents.KeyChange.UNINSTALL, true);
        } catch (TargetHostException e) {
            events.dynamicKey(SshEvents.KeyChange.UNINSTALL, false);
            throw new EngineException(EngineException.Kind.UPSTREAM,
                    "error removing public key from authorized_keys file in target: " + e.getMessage());
        }
    }

    /** How to log in to the lease's host as its admin, with the host-key rule it was issued under. */
    AdminLogin login(DynamicLeaseData d, SshPrivateKey adminKey) {
        return new AdminLogin(d.ip(), d.port(), d.adminUser(), adminKey,
                HostKeyVerifier.forPolicy(d.hostKeys(), knownHosts),
                Duration.ofSeconds(d.connectTimeoutSeconds()), Duration.ofSeconds(d.commandTimeoutSeconds()));
    }

    SshPrivateKey adminKey(String name) {
        return adminKeys.get(name).orElseThrow(() -> EngineException.user("key " + GoFormat.q(name) + " not found"));
    }
}
