package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.ssh.role.KeyType;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.ssh.role.SshRole;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/** {@code issue/:role}: generate a key pair on the server and certify it. */
public final class IssuePath {
    private final RoleStore roles;
    private final CertificateIssuer issuer;

    public IssuePath(RoleStore roles, IssuerStore issuers, LongSupplier clockMillis, SshEvents events, CertificateLog log) {
        this.roles = roles;
        this.issuer = new CertificateIssuer(issuers, clockMillis, events, log);
    }

    public List<PathSpec> specs() {
        return List.of(CertificateRequest.path("issue")
                .field("key_type", FieldType.STRING)
                .field("key_bits", FieldType.INT)
                .on(Operation.UPDATE, this::issue));
    }

    private Response issue(Request request, Fields f) {
        String roleName = f.string("role");
        SshRole role = roles.get(roleName).orElseThrow(() -> EngineException.user("unknown role: " + roleName));
        if (role.keyType() != KeyType.CA) {
            throw EngineException.user("role key type '" + role.keyType().wire() + "' not allowed to issue key pairs");
        }
        String keyType = f.string("key_type", "rsa");
        int keyBits = f.clampedInt("key_bits");
        CertificateRequest req = CertificateRequest.from(f); // its refusals before the (slow) key generation
        checkRequestedKey(role, keyType, keyBits);
        SshPrivateKey generated;
        try {
            // beyond the role's RSA maximum the generator refuses before spending minutes on it
            generated = SshKeyGenerator.generate(keyType, keyBits,
                    KeyRequirements.maxRsaBits(role.ca().allowedUserKeyLengths()), request.cancellation());
        } catch (SshKeyException e) {
            throw EngineException.user(e.getMessage());
        }
        Map<String, Object> data = issuer.issue(roleName, role, generated.publicKey(), req, request.caller(),
                request.mount(), request.clientAddress());
        data.put("private_key", generated.toPem());
        data.put("private_key_type", keyType);
        return Response.of(data);
    }

    /**
     * The role's key policy, checked before the (possibly slow) generation. Vault looks the type up
     * by class name only, so {@code ec} and named ECDSA types never pass; Latchkey classifies them.
     */
    private static void checkRequestedKey(SshRole role, String keyType, int keyBits) {
        Map<String, List<Integer>> allowed = role.ca().allowedUserKeyLengths();
        if (allowed.isEmpty()) {
            return;
        }
        String keyClass = switch (keyType.toLowerCase(Locale.ROOT)) {
            case "rsa", "ssh-rsa" -> "rsa";
            case "ec", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> "ecdsa";
            case "ed25519", "ssh-ed25519" -> "ed25519";
            default -> null;
        };
        if (keyClass == null) {
            return; // the generator refuses it with its own message
        }
        int bits = switch (keyType.toLowerCase(Locale.ROOT)) {
            case "rsa", "ssh-rsa" -> keyBits == 0 ? 4096 : keyBits;
            case "ec" -> keyBits == 0 ? 256 : keyBits;
            case "ecdsa-sha2-nistp384" -> 384;
            case "ecdsa-sha2-nistp521" -> 521;
            case "ecdsa-sha2-nistp256" -> 256;
            default -> 256;
        };
        KeyRequirements.Violation violation = KeyRequirements.violation(allowed, keyClass, bits);
        if (violation != null) {
            throw EngineException.user(switch (violation) {
                case TYPE -> "provided key_type value not in allowed_user_key_types";
                case SIZE -> "provided key_bits value not in list of role's allowed_user_key_types";
            });
        }
    }
}
