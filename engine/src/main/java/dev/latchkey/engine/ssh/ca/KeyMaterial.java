package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.Cancellation;
import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

/**
 * A CA key pair as a request gives it: to generate ({@code generate_signing_key}, {@code key_type},
 * {@code key_bits}) or to import ({@code public_key}, {@code private_key}). Vault's {@code config/ca}
 * and OpenBao's {@code issuers/import} take the same fields but word their refusals differently,
 * each as its own server does; {@link #decide} checks the fields first, so that a request refused
 * for another reason (a taken issuer name) never pays for an RSA generation.
 */
final class KeyMaterial {
    /** Whose words the refusals use. */
    enum Dialect {
        VAULT, OPENBAO
    }

    /** What the fields ask for: generation, or the two halves to import. */
    record Decision(boolean generate, String keyType, int keyBits, String publicKey, String privateKey) {
    }

    /** A key pair ready to store: the public key's text and the private key's PEM. */
    record Pair(String publicKey, String privateKey, SshPublicKey parsedPublic) {
    }

    private KeyMaterial() {
    }

    /** Declares the key material fields on a path. */
    static PathSpec fields(PathSpec spec) {
        return spec.field("generate_signing_key", FieldType.BOOL)
                .field("key_type", FieldType.STRING)
                .field("key_bits", FieldType.INT)
                .field("private_key", FieldType.STRING)
                .field("public_key", FieldType.STRING)
                .field("managed_key_name", FieldType.STRING)
                .field("managed_key_id", FieldType.STRING);
    }

    static Decision decide(Fields f, Dialect dialect) {
        if (!f.string("managed_key_name").isEmpty() || !f.string("managed_key_id").isEmpty()) {
            throw EngineException.user("managed keys are a Vault Enterprise feature that Latchkey does not offer");
        }
        String publicKey = f.string("public_key");
        String privateKey = f.string("private_key");
        boolean anyKey = !publicKey.isEmpty() || !privateKey.isEmpty();
        boolean bothKeys = !publicKey.isEmpty() && !privateKey.isEmpty();
        boolean flagSet = f.has("generate_signing_key");
        boolean flag = flagSet && f.bool("generate_signing_key");
        if (flag && anyKey) {
            throw EngineException.user("public_key and private_key must not be set when generate_signing_key is set to true");
        }
        boolean generate;
        if (dialect == Dialect.VAULT) {
            if (!flagSet && anyKey && !bothKeys) {
                throw EngineException.user("only one of public_key and private_key set; both must be set to use, "
                        + "or both must be blank to auto-generate");
            }
            generate = flagSet ? flag : !anyKey;
            if (!generate && publicKey.isEmpty()) {
                throw EngineException.user("missing public_key");
            }
            if (!generate && privateKey.isEmpty()) {
                throw EngineException.user("missing private_key");
            }
        } else {
            generate = !anyKey && (!flagSet || flag);
            if (!generate && !anyKey) {
                throw EngineException.user("missing public_key");
            }
            if (!generate && !bothKeys) {
                throw EngineException.user("only one of public_key and private_key set; both must be set to use, "
                        + "or both must be blank to auto-generate");
            }
        }
        return new Decision(generate, f.string("key_type", "ssh-rsa"), f.clampedInt("key_bits"), publicKey, privateKey);
    }

    /** Generates the pair, or parses the two halves; as in Vault, it is not checked that they belong together. */
    static Pair produce(Decision d, Dialect dialect, Cancellation cancellation) {
        if (d.generate()) {
            SshPrivateKey generated;
            try {
                generated = SshKeyGenerator.generate(d.keyType(), d.keyBits(), RsaKeySizes.DEFAULT_MAX_BITS, cancellation);
            } catch (SshKeyException e) {
                // Vault and OpenBao answer these with 500; they are the caller's choice of key, so 400.
                throw EngineException.user(e.getMessage());
            }
            return new Pair(generated.publicKey().toLine() + "\n", generated.toPem(), generated.publicKey());
        }
        SshPublicKey parsed;
        if (dialect == Dialect.VAULT) {
            try {
                SshPrivateKey.parse(d.privateKey());
            } catch (SshKeyException e) {
                throw EngineException.user("Unable to parse private_key as an SSH private key: " + e.getMessage());
            }
            try {
                parsed = SshPublicKey.parse(d.publicKey());
            } catch (SshKeyException e) {
                throw EngineException.user("Unable to parse public_key as an SSH public key: " + e.getMessage());
            }
        } else {
            try {
                parsed = SshPublicKey.parse(d.publicKey());
            } catch (SshKeyException e) {
                throw EngineException.user("could not parse public_key provided value: " + e.getMessage());
            }
            try {
                SshPrivateKey.parse(d.privateKey());
            } catch (SshKeyException e) {
                throw EngineException.user("could not parse private_key provided value: " + e.getMessage());
            }
        }
        return new Pair(d.publicKey(), d.privateKey(), parsed);
    }
}
