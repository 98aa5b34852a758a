package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;

import java.util.List;
import java.util.Map;

/**
 * {@code keys/:key_name} (write, delete; never read) and {@code tidy/dynamic-keys}, as in Vault 1.12.
 */
public final class KeysPath {
    /** Key names: like role names, without {@code @}. */
    private static final String KEY_NAME = "\\w(?:[\\w\\-.]*\\w)?";

    private final AdminKeyStore keys;

    public KeysPath(AdminKeyStore keys) {
        this.keys = keys;
    }

    public List<PathSpec> specs() {
        return List.of(
                PathSpec.path("keys/(?<name>" + KEY_NAME + ")").capture("name", "key_name")
                        .field("key", FieldType.STRING)
                        .on(Operation.UPDATE, this::write)
                        .on(Operation.DELETE, this::delete),
                PathSpec.path("tidy/dynamic-keys").on(Operation.DELETE, this::tidy));
    }

    /**
     * Any unencrypted PEM or OpenSSH private key; the parse comes first, so an empty key is
     * "Invalid key". Beyond Vault, an RSA key must be as strong as the CA's own may be
     * ({@link RsaKeySizes#MIN_BITS}) and no larger than {@link RsaKeySizes#DEFAULT_MAX_BITS}.
     */
    private Response write(Request request, Fields f) {
        String pem = f.string("key");
        SshPrivateKey key;
        try {
            key = SshPrivateKey.parse(pem);
        } catch (RsaKeySizes.KeyTooLargeException e) {
            throw EngineException.user("Invalid key: " + e.getMessage());
        } catch (SshKeyException e) {
            throw EngineException.user("Invalid key");
        }
        try {
            RsaKeySizes.requireStrength(key.publicKey());
        } catch (SshKeyException e) {
            throw EngineException.user("Invalid key: " + e.getMessage());
        }
        keys.put(f.string("key_name"), pem);
        return Response.empty();
    }

    private Response delete(Request request, Fields f) {
        keys.delete(f.string("key_name"));
        return Response.empty();
    }

    private Response tidy(Request request, Fields f) {
        List<String> names = keys.names();
        names.forEach(keys::delete);
        return Response.of(Map.of("message", "Removed " + names.size() + " of " + names.size() + " host keys."));
    }
}
