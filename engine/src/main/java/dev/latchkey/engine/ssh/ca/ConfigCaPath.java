package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Cancellation;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.Map;

/** {@code config/ca}: generate or import the CA key pair, read its public half, delete it. */
public final class ConfigCaPath {
    private final CaKeyStore keys;

    public ConfigCaPath(CaKeyStore keys) {
        this.keys = keys;
    }

    public PathSpec spec() {
        return PathSpec.path("config/ca")
                .field("generate_signing_key", FieldType.BOOL)
                .field("key_type", FieldType.STRING)
                .field("key_bits", FieldType.INT)
                .field("private_key", FieldType.STRING)
                .field("public_key", FieldType.STRING)
                .field("managed_key_name", FieldType.STRING)
                .field("managed_key_id", FieldType.STRING)
                .on(Operation.UPDATE, this::write)
                .on(Operation.READ, this::read)
                .on(Operation.DELETE, this::delete);
    }

    private Response write(Request request, Fields f) {
        if (!f.string("managed_key_name").isEmpty() || !f.string("managed_key_id").isEmpty()) {
            throw EngineException.user("managed keys are a Vault Enterprise feature that Latchkey does not offer");
        }
        String publicKey = f.string("public_key");
        String privateKey = f.string("private_key");
        boolean anyKey = !publicKey.isEmpty() || !privateKey.isEmpty();
        boolean generate;
        if (f.has("generate_signing_key")) {
            generate = f.bool("generate_signing_key");
            if (generate && anyKey) {
                throw EngineException.user(
                        "public_key and private_key must not be set when generate_signing_key is set to true");
            }
        } else {
            if (anyKey && (publicKey.isEmpty() || privateKey.isEmpty())) {
                throw EngineException.user("only one of public_key and private_key set; both must be set to use, "
                        + "or both must be blank to auto-generate");
            }
            generate = !anyKey;
        }
        return generate ? generate(f, request.cancellation()) : importKeys(publicKey, privateKey);
    }

    /** Vault generates first and reports the conflict after; checking first spares an RSA-4096 generation. */
    private Response generate(Fields f, Cancellation cancellation) {
        String keyType = f.string("key_type", "ssh-rsa");
        if (keys.isConfigured()) {
            throw alreadyConfigured();
        }
        SshPrivateKey generated;
        try {
            generated = SshKeyGenerator.generate(keyType, f.clampedInt("key_bits"), RsaKeySizes.DEFAULT_MAX_BITS,
                    cancellation);
        } catch (SshKeyException e) {
            // Vault answers these with 500; they are the caller's choice of key, so 400.
            throw EngineException.user(e.getMessage());
        }
        String publicText = generated.publicKey().toLine() + "\n";
        if (!keys.storeIfAbsent(publicText, generated.toPem())) {
            throw alreadyConfigured();
        }
        return Response.of(Map.of("public_key", publicText));
    }

    private Response importKeys(String publicKey, String privateKey) {
        if (publicKey.isEmpty()) {
            throw EngineException.user("missing public_key");
        }
        if (privateKey.isEmpty()) {
            throw EngineException.user("missing private_key");
        }
        try {
            SshPrivateKey.parse(privateKey);
        } catch (SshKeyException e) {
            throw EngineException.user("Unable to parse private_key as an SSH private key: " + e.getMessage());
        }
        try {
            SshPublicKey.parse(publicKey);
        } catch (SshKeyException e) {
            throw EngineException.user("Unable to parse public_key as an SSH public key: " + e.getMessage());
        }
        if (!keys.storeIfAbsent(publicKey, privateKey)) {
            throw alreadyConfigured();
        }
        return Response.empty();
    }

    private static EngineException alreadyConfigured() {
        return EngineException.user("keys are already configured; delete them before reconfiguring");
    }

    private Response read(Request request, Fields f) {
        String publicKey = keys.publicKey()
                .orElseThrow(() -> EngineException.user("keys haven't been configured yet"));
        return Response.of(Map.of("public_key", publicKey));
    }

    private Response delete(Request request, Fields f) {
        keys.delete();
        return Response.empty();
    }
}
